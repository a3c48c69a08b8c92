// A portal document of thousands of proxy rules (at the 4 MiB cap in the full run) served by the
// simulator to a real Envoy (two workers): every VM applies it without a trap — its last rule
// counts on both workers — and the memory.pages gauge stays under the bound for its size.
import { describe, expect, it } from "vitest";
import { BYTES_PER_DOCUMENT_BYTE, PORTAL_BYTES, pagesBound } from "../../support/hostile-bound";
import { config, service } from "../../support/configs";
import { document, type Rule } from "../../system/support";
import { envoyBin, failures, seed, send, SERVICE_ID, SERVICE_TOKEN, startInto, stopAfterEach } from "../support";
import { atOnce, memoryPages, workerConnections, WORKERS } from "./support";

const SYSTEM_CLUSTER = "outbound|443||tenant-admin.3scale.net";
const ACCESS_TOKEN = "pat-hostile";

/** a document of at most `bytes` bytes: rules /r<i>/{id} counting hits, the last one `products` */
function documentOf(bytes: number): { text: string; last: number } {
  const rule = (i: number, count: number): Rule => ({ http_method: "GET", pattern: `/r${i}/{id}`, metric_system_name: i === count - 1 ? "products" : "hits", delta: 1, last: false });
  const build = (count: number) => JSON.stringify(document(SERVICE_TOKEN, Array.from({ length: count }, (_, i) => rule(i, count))));
  const perRule = (build(1001).length - build(1).length) / 1000;
  let count = Math.floor(bytes / perRule);
  for (let text = build(count); ; text = build(count)) {
    if (text.length <= bytes) return { text, last: count - 1 };
    count -= Math.ceil((text.length - bytes) / perRule);
  }
}

const pluginConfig = config([service({ id: SERVICE_ID, token: SERVICE_TOKEN })], {
  system: { upstream: { name: SYSTEM_CLUSTER, url: "http://tenant-admin.3scale.net/", timeout: 5000 }, token: ACCESS_TOKEN, ttl: 300 },
});

const stack = stopAfterEach();

describe.skipIf(!envoyBin)(`a portal document of ${Math.round(PORTAL_BYTES / 1024)} KiB in Envoy`, () => {
  it("is applied by every VM without a trap, in bounded memory", { timeout: 120_000 }, async () => {
    const { text, last } = documentOf(PORTAL_BYTES);
    const portalSeed = { ...seed, providers: [{ key: "pk", accessTokens: [ACCESS_TOKEN] }] };
    const { envoy, simulator } = await startInto(stack, {
      seed: portalSeed, configuration: JSON.stringify(pluginConfig), name: "e2e.hostile-portal", clusters: [SYSTEM_CLUSTER], quiet: true,
      prepare: (sim) => sim.replaceProxyConfig(SERVICE_ID, "production", JSON.parse(text)),
    });
    // the gauge before the answer is applied: at start, before the first tick's fetch is answered
    const baselinePages = await memoryPages(envoy);
    await simulator.waitForRequest((r) => r.pathname.endsWith("/latest.json"), 10_000);
    await new Promise((wake) => setTimeout(wake, 3000)); // applied, then spread to the other worker
    const before = await workerConnections(envoy);
    const answers = await atOnce(2 * WORKERS, () => send(envoy, `/r${last}/7?user_key=uk-1`, { host: "api.example.com" }));
    expect(answers.map((a) => a.status)).toEqual(Array(2 * WORKERS).fill(200));
    (await workerConnections(envoy)).forEach((n, i) => expect(n, `worker ${i}`).toBeGreaterThan(before[i]!));
    expect(failures(envoy)).toEqual([]);
    expect(simulator.usage(SERVICE_ID, "uk-basic", "products")).toBe(2 * WORKERS);
    expect(await memoryPages(envoy), `after start ${baselinePages} pages (sum over VMs), document ${text.length} bytes`)
      .toBeLessThanOrEqual(baselinePages + WORKERS * pagesBound(0, text.length, BYTES_PER_DOCUMENT_BYTE));
  });
});
