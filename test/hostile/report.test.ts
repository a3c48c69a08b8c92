// examples/production (authorization cache, batched reports) with 10,000 distinct credentials in
// one report interval, in the in-process host: each key's first request makes an authrep (reported
// by the backend at once), its second is served from the cache and batched. The report tick must
// not trap, no request may go unreported, no `POST /transactions.xml` may exceed the body cap, and
// the VM's memory stays under the bound for its largest input (the calls one report callback plans).
import { describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import type { HttpCallRecord } from "../../tools/host/types";
import { readManifests, wasmPlugin } from "../support/examples";
import { BACKEND_CLUSTER } from "../support/configs";
import { header, requestHeaders, WASM } from "../support/module";
import { CREDENTIALS, pagesBound, REPORT_BODY_CAP_BYTES, reportInputBytes } from "../support/hostile-bound";

const config = wasmPlugin(readManifests("production")).spec.pluginConfig;
const REPORT_INTERVAL_MS = config.backend.cache.report_interval * 1000;
const TICK_MS = 1000;

const isReport = (c: HttpCallRecord) => header(c, ":method") === "POST" && header(c, ":path") === "/transactions.xml";
const isAuthrep = (c: HttpCallRecord) => (header(c, ":path") ?? "").startsWith("/transactions/authrep.xml");
const bodyText = (c: HttpCallRecord) => Buffer.from(c.body as Uint8Array).toString("utf8");

/** the hits a report body carries, over all its transactions */
const reportedHits = (c: HttpCallRecord) =>
  [...new URLSearchParams(bodyText(c))].filter(([k]) => /^transactions\[\d+\]\[usage\]\[hits\]$/.test(k)).reduce((n, [, v]) => n + Number(v), 0);

describe("examples/production with 10,000 distinct credentials in one report interval", () => {
  it("reports every request without a trap, in bounded bodies and bounded memory", { timeout: 120_000 }, async () => {
    const host = await ProxyWasmHost.create({
      wasm: WASM,
      clusters: { [BACKEND_CLUSTER]: (c) => ({ status: isReport(c) ? 202 : 200 }) },
      hangTimeoutMs: 30_000,
    });
    try {
      const result = await host.configure(JSON.stringify(config));
      expect(result.error).toBeUndefined();
      const vm = host.instances[0]!;
      const pagesAfterConfigure = vm.memory.pages;
      let allowed = 0;
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < CREDENTIALS; i++) {
          const r = await host.request({ headers: requestHeaders("/", [["x-api-key", `hostile-key-${i}`]], "GET", "api.example.com") });
          if (r.status === 200) allowed += 1;
        }
      }
      expect(allowed).toBe(2 * CREDENTIALS);
      // one report takes at most 1,000 usage slots, the rest follows tick by tick
      for (let t = 0; t <= REPORT_INTERVAL_MS + (CREDENTIALS / 1000 + 2) * TICK_MS; t += TICK_MS) {
        host.advance(TICK_MS);
        await host.idle();
      }
      expect(vm.error?.message).toBeUndefined();
      const reports = host.calls.filter(isReport);
      const authreps = host.calls.filter(isAuthrep);
      // each authrep counted its request at the backend; every other request is in a report
      expect(authreps.length + reports.reduce((n, c) => n + reportedHits(c), 0)).toBe(allowed);
      const bodies = reports.map((c) => (c.body as Uint8Array).length);
      expect(Math.max(0, ...bodies)).toBeLessThanOrEqual(REPORT_BODY_CAP_BYTES);
      const input = reportInputBytes(bodies);
      expect(vm.memory.pages, `pages after configure ${pagesAfterConfigure}, largest report step ${input} bytes`)
        .toBeLessThanOrEqual(pagesBound(pagesAfterConfigure, input));
    } finally {
      await host.close();
    }
  });
});
