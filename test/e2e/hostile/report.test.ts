// examples/production in a real Envoy (two workers) with thousands of distinct credentials in one
// report interval — 10,000 in the full run; 3,000 in the short one (the in-process suite,
// test/hostile/report.test.ts, has 10,000 in both) — each key twice: the first request makes an
// authrep, the second is batched. A report tick that traps loses the usage of its interval, so:
// no trap, every allowed request counted by the backend, memory under the bound for the largest
// input (the calls one report callback plans).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoggedRequest } from "../../../tools/simulator/server";
import type { Seed } from "../../../tools/simulator/seed";
import { CREDENTIALS, FULL, pagesBound, REPORT_BODY_CAP_BYTES, reportInputBytes } from "../../support/hostile-bound";
import { envoyBin, failures, send } from "../support";
import { until } from "../../support/request-loop";
import { examplesDir } from "../../support/examples";
import { memoryPages, startExample, WORKERS, type ExampleStack } from "./support";

const SERVICE_ID = "2555417800005";
const KEYS = FULL ? CREDENTIALS : 3_000;
const CLIENTS = 16;

/** examples/simulator-seed.json with KEYS more applications of the production service */
function seed(): Seed {
  const s = JSON.parse(readFileSync(resolve(examplesDir, "simulator-seed.json"), "utf8"));
  const production = s.services.find((x: { id: string }) => x.id === SERVICE_ID);
  production.applications.push(...Array.from({ length: KEYS }, (_, i) => ({ id: `hostile-app-${i}`, plan: "Production", userKey: `hostile-key-${i}` })));
  return s;
}

const isReport = (r: LoggedRequest) => r.method === "POST" && r.pathname === "/transactions.xml";
const isAuthrep = (r: LoggedRequest) => r.pathname === "/transactions/authrep.xml";
const reportedHits = (r: LoggedRequest) =>
  Object.values((r.params?.transactions ?? {}) as Record<string, { usage?: { hits?: string } }>).reduce((n, t) => n + Number(t.usage?.hits ?? 0), 0);

describe.skipIf(!envoyBin)(`examples/production in Envoy with ${KEYS} distinct credentials in one report interval`, () => {
  let s: ExampleStack;
  beforeAll(async () => { s = await startExample("production", { seed: seed(), quiet: true }); });
  afterAll(async () => { await s?.stop(); });

  it("lets every request through and the backend counts each one, without a trap, in bounded memory", { timeout: 180_000 }, async () => {
    const baselinePages = await memoryPages(s.envoy);
    const statuses: number[] = [];
    const keys = [...Array.from({ length: KEYS }, (_, i) => i), ...Array.from({ length: KEYS }, (_, i) => i)];
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      for (let i = keys.pop(); i !== undefined; i = keys.pop()) {
        statuses.push((await send(s.envoy, "/", { host: "api.example.com", "x-api-key": `hostile-key-${i}` })).status);
      }
    }));
    const allowed = statuses.filter((x) => x === 200).length;
    expect(allowed).toBe(2 * KEYS);
    const counted = () => s.simulator.requests.filter(isAuthrep).length + s.simulator.requests.filter(isReport).reduce((n, r) => n + reportedHits(r), 0);
    await until("every request counted", () => counted() === allowed, 40_000).catch(() => undefined);
    expect(counted()).toBe(allowed);
    expect(failures(s.envoy)).toEqual([]);
    const bodies = s.simulator.requests.filter(isReport).map((r) => Buffer.byteLength(r.body));
    expect(Math.max(0, ...bodies)).toBeLessThanOrEqual(REPORT_BODY_CAP_BYTES);
    const input = reportInputBytes(bodies);
    expect(await memoryPages(s.envoy), `after start ${baselinePages} pages (sum over VMs), largest report step ${input} bytes`)
      .toBeLessThanOrEqual(baselinePages + WORKERS * pagesBound(0, input));
  });
});
