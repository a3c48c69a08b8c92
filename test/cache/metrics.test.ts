// The cache's and the failure policy's metrics: all defined at configure (so they show at 0),
// and what a few typical request sequences move.
import { afterEach, describe, expect, it } from "vitest";
import { cachedConfig, gateway, isReport, user, type Gateway, PREFIX, USER_SERVICE } from "./support";
import { delta } from "../metrics/support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const COUNTERS = [
  "cache.hits", "cache.misses", "cache.coalesced", "cache.table_full", "failure_policy.stale_served", "failure_policy.opened",
  "usage.unreported", "reports.calls", "reports.failures", "reports.requests", "reports.dropped_requests", "system.fetches", "system.fetch_failures",
];

describe("cache metrics", () => {
  it("defines every metric at configure, with or without the cache", async () => {
    for (const cache of [null, {}]) {
      g = await gateway(cachedConfig({ cache }));
      const all = g.host.metrics();
      for (const name of COUNTERS) expect(all[PREFIX + name], name).toMatchObject({ kind: "counter", value: 0 });
      expect(all[PREFIX + "reports.batch_size"]).toMatchObject({ kind: "histogram", value: 0 });
      expect(all[PREFIX + "memory.pages"]?.kind).toBe("gauge");
      await g.close();
      g = undefined;
    }
  });

  it("keeps memory.pages at the workers' linear memory, in 64 KiB pages", async () => {
    g = await gateway(cachedConfig());
    await g.advance(1_000);
    const pages = g.metric("memory.pages");
    expect(pages).toBeGreaterThan(0);
    const workers = () => g!.host.instances.reduce((n, vm) => n + vm.memory.pages, 0);
    expect(pages).toBe(workers());
    for (let i = 0; i < 2000; i++) await user(g, `key-${i}-${"x".repeat(200)}`);
    await g.advance(1_000);
    expect(g.metric("memory.pages")).toBe(workers());
  });

  it("moves exactly the cache counters of a miss, a hit, a coalesced request and a report", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    const gw = g;
    expect(await delta(gw.host, () => user(gw, "k"))).toMatchObject({ [PREFIX + "cache.misses"]: 1, [PREFIX + "backend.calls"]: 1 });
    const hit = await delta(gw.host, () => user(gw, "k", { worker: 1 }));
    expect(hit).toEqual({ [PREFIX + "cache.hits"]: 1, [PREFIX + "requests.allowed"]: 1, [`${PREFIX}service.${USER_SERVICE}.requests.allowed`]: 1 });
    const report = await delta(gw.host, () => gw.advance(5_000));
    expect(report).toMatchObject({ [PREFIX + "reports.calls"]: 1, [PREFIX + "reports.requests"]: 1, [PREFIX + "reports.batch_size"]: 1 });
    expect(report).not.toHaveProperty(PREFIX + "backend.calls"); // reports are not authreps
    gw.backend = (call) => (isReport(call) ? { status: 503 } : { status: 200 });
    await user(gw, "k");
    expect(await delta(gw.host, () => gw.advance(5_000))).toMatchObject({ [PREFIX + "reports.calls"]: 1, [PREFIX + "reports.failures"]: 1 });
  });
});
