// A plugin instance removed by a config push or a drained listener: on_done reports what its
// workers recorded and answers false, the host keeps the root context until those reports are
// answered and the module calls proxy_done. A report that fails then goes back into the shared
// table, where the next instance's periodic scan finds it.
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../tools/simulator/server";
import { seed } from "../e2e/support";
import { cachedConfig, gateway, isReport, START_MS, user, USER_SERVICE, type Gateway } from "./support";

let sim: Simulator | undefined;
const gateways: Gateway[] = [];
afterEach(async () => {
  for (const g of gateways.splice(0)) await g.close();
  await sim?.close();
  sim = undefined;
});

async function start(o: { shared?: Gateway } = {}): Promise<Gateway> {
  const g = await gateway(cachedConfig({ cache: { report_interval: 60 } }), { simulator: sim, ...(o.shared && { shared: o.shared.host.shared }) });
  gateways.push(g);
  return g;
}

/** 1 authrep and 6 requests recorded from the cache, on both workers */
async function use(g: Gateway): Promise<void> {
  for (const worker of [0, 0, 1, 0, 1, 1, 0]) expect((await user(g, "uk-1", { worker })).status).toBe(200);
}

describe("removing a plugin instance", () => {
  it("reports the recorded usage from on_done and is deleted once the reports are answered", async () => {
    sim = await startSimulator({ seed, now: START_MS });
    const g = await start();
    await use(g);
    expect(g.reports()).toHaveLength(0);
    g.host.removePlugin();
    expect(g.reports().length).toBeGreaterThan(0);
    // the worker whose report took the shared slot waits for its answer; the other had nothing left
    expect(g.host.instances.filter((vm) => !vm.dead && vm.root!.pendingDone)).toHaveLength(1);
    await g.host.idle();
    expect(g.host.instances.map((vm) => [vm.dead, vm.root!.pendingDone])).toEqual([[true, false], [true, false]]);
    expect(sim.usage(USER_SERVICE, "uk-1", "hits")).toBe(7);
    expect(g.metric("reports.requests")).toBe(6);
  });

  it("reports many credentials 32 calls at a time, each sent when an earlier one is answered", async () => {
    const g = await gateway(cachedConfig({ cache: { report_interval: 600, max_entries: 100_000 }, failure_policy: { mode: "open" } }));
    gateways.push(g);
    g.backend = (call) => (isReport(call) ? { status: 200 } : "refused");
    const KEYS = 2500;
    for (let i = 0; i < KEYS; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => user(g, `key-${i + j}`, { worker: 0 })));
    g.host.removePlugin();
    expect(g.reports()).toHaveLength(32); // at most 32 waiting for an answer
    await g.host.idle();
    expect(g.reports()).toHaveLength(KEYS); // one per credential
    expect([g.metric("reports.requests"), g.metric("reports.dropped_requests")]).toEqual([KEYS, 0]);
    expect(g.host.instances.map((vm) => vm.dead)).toEqual([true, true]);
  });

  it("answers on_done true when nothing is pending", async () => {
    sim = await startSimulator({ seed, now: START_MS });
    const g = await start();
    g.host.removePlugin();
    expect(g.host.instances.map((vm) => vm.dead)).toEqual([true, true]);
    expect(g.reports()).toHaveLength(0);
  });

  it("puts a failed last report back for the next instance, whose periodic scan reports it", async () => {
    sim = await startSimulator({ seed, now: START_MS });
    const old = await start();
    const next = await start({ shared: old });
    await next.advance(30_000); // the next instance's scan after its configure is over
    await use(old);
    old.backend = (call) => (isReport(call) ? { status: 503 } : old.forward(call));
    old.host.removePlugin();
    await old.host.idle();
    expect(old.host.instances.map((vm) => vm.dead)).toEqual([true, true]);
    expect([old.metric("reports.failures"), old.metric("reports.dropped_requests")]).toEqual([old.reports().length, 0]);
    expect(sim.usage(USER_SERVICE, "uk-1", "hits")).toBe(1);
    await next.advance(120_000);
    expect(sim.usage(USER_SERVICE, "uk-1", "hits")).toBe(7);
    expect(next.metric("reports.requests")).toBe(6);
  });
});
