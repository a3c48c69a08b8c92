// Regression (issue 9): one unauthenticated request whose Authorization scheme is 32,000 'B's
// took the Wasm VM of examples/oauth2-bearer to 4 GiB inside one callback and killed the worker;
// a second one left every request answered 503. Here, in both ways of running the example, the
// hostile requests reach every worker and afterwards every worker still lets the valid token
// through (200) and denies an unknown one (403).
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleStats, startEnvoy } from "../../../tools/envoy/envoy";
import { startSimulator } from "../../../tools/simulator/server";
import { startUpstream } from "../../../tools/upstream/upstream";
import { pagesBound } from "../../support/hostile-bound";
import { inputBytes, type HostileRequest } from "../../support/hostile-inputs";
import { envoyBin, failures, send } from "../support";
import { examplesDir } from "../../support/examples";
import { schemeBootstrap, variantsOf, type Variant } from "../schemes/support";
import { atOnce, memoryPages, startExample, workerConnections, WORKERS, type ExampleStack } from "./support";

const TOKEN = "Tok-BEAR-9f2c"; // examples/simulator-seed.json
const HOSTILE: HostileRequest = { authority: "api.example.com", path: "/", headers: [["authorization", `${"B".repeat(32_000)} tok`]] };

type Running = Pick<ExampleStack, "envoy" | "stop">;

/** wasmplugin.yaml as Istio would deploy it (exact balance is in the generated listener), or envoy.yaml */
async function start(variant: Variant): Promise<Running> {
  if (variant === "envoy.yaml") return startExample("oauth2-bearer");
  const simulator = await startSimulator({ seed: resolve(examplesDir, "simulator-seed.json") });
  const upstream = await startUpstream();
  const envoy = await startEnvoy({ bin: envoyBin, bootstrap: schemeBootstrap("oauth2-bearer", variant, { app: upstream.port, backend: simulator.port }) })
    .catch(async (e) => { await upstream.stop(); await simulator.close(); throw e; });
  return { envoy, stop: async () => { await envoy.stop(); await upstream.stop(); await simulator.close(); } };
}

describe.skipIf(!envoyBin).each(variantsOf("oauth2-bearer"))("examples/oauth2-bearer (%s): an Authorization scheme of 32,000 'B's", (variant) => {
  let s: Running;
  beforeAll(async () => { s = await start(variant); });
  afterAll(async () => { await s?.stop(); });

  /** `count` requests at once; asserts each worker took at least one; their statuses */
  async function onEveryWorker(count: number, headers: Record<string, string>): Promise<number[]> {
    const before = await workerConnections(s.envoy);
    const answers = await atOnce(count, () => send(s.envoy, "/", { host: "api.example.com", ...headers }));
    (await workerConnections(s.envoy)).forEach((n, i) => expect(n, `worker ${i}`).toBeGreaterThan(before[i]!));
    return answers.map((a) => a.status);
  }

  it("is denied on every worker, which afterwards still answers 200 and 403 as before", { timeout: 60_000 }, async () => {
    const baselinePages = await memoryPages(s.envoy);
    expect(await onEveryWorker(2 * WORKERS, { authorization: `Bearer ${TOKEN}` })).toEqual(Array(2 * WORKERS).fill(200));
    expect(await onEveryWorker(4 * WORKERS, Object.fromEntries(HOSTILE.headers))).toEqual(Array(4 * WORKERS).fill(403));
    expect(await onEveryWorker(2 * WORKERS, { authorization: `Bearer ${TOKEN}` })).toEqual(Array(2 * WORKERS).fill(200));
    expect(await onEveryWorker(2 * WORKERS, { authorization: "Bearer nope" })).toEqual(Array(2 * WORKERS).fill(403));
    expect(failures(s.envoy)).toEqual([]);
    expect(await memoryPages(s.envoy), `after start ${baselinePages} pages (sum over VMs)`)
      .toBeLessThanOrEqual(baselinePages + WORKERS * pagesBound(0, inputBytes(HOSTILE)));
    expect((await moduleStats(s.envoy))["memory.pages"]).toBeGreaterThan(0);
  });
});
