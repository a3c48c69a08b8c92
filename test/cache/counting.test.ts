// Exact counting against the real 3scale simulator: whatever the cache, the batching, the
// backend's failures and re-configures do, every request that got a 200 is counted exactly
// once by the backend, with its usage, and nothing else is.
import { afterEach, describe, expect, it } from "vitest";
import { cachedConfig, gate, gateway, isReport, type Gateway } from "./support";
import { authorizedByAuthrep, drain, expectExactCounts, recorded, Tally, traffic } from "./traffic";

const INTERVAL = 5;
let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

describe("exact counting with the simulator", () => {
  it("counts 300 mixed, concurrent requests on two workers exactly once", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: INTERVAL } }), { simulator: true });
    const tally = new Tally();
    await traffic(g, tally, { requests: 300, concurrent: 12, pauseMs: 600 });
    await drain(g, INTERVAL);
    expect(tally.allowed).toBeGreaterThan(250); // only the trial key is ever denied
    expect(g.metric("cache.hits")).toBeGreaterThan(100);
    expect(g.metric("cache.coalesced")).toBeGreaterThan(0);
    expect(g.authreps().length).toBeLessThan(150);
    expectExactCounts(g, tally);
    // nothing more is reported later
    const reports = g.reports().length;
    await drain(g, INTERVAL);
    expect(g.reports()).toHaveLength(reports);
    expectExactCounts(g, tally);
  });

  it("counts exactly with the host calling the simulator itself (real cluster, real timeouts)", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: INTERVAL, authorization_ttl: 2 }, timeout: 300, failure_policy: { mode: "open" } }), { simulator: true, direct: true });
    const tally = new Tally();
    await traffic(g, tally, { requests: 100, concurrent: 10, pauseMs: 700 });
    g.sim!.inject({ scope: "backend", answer: "close" });
    await traffic(g, tally, { requests: 50, concurrent: 10, pauseMs: 700, offset: 100 });
    g.sim!.clearFaults();
    await traffic(g, tally, { requests: 50, concurrent: 10, pauseMs: 700, offset: 150 });
    await drain(g, INTERVAL);
    expect(g.metric("failure_policy.opened")).toBeGreaterThan(0);
    expectExactCounts(g, tally);
  });

  it("counts exactly with the default report interval and a long TTL", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 300 } }), { simulator: true });
    const tally = new Tally();
    await traffic(g, tally, { requests: 120, concurrent: 8, pauseMs: 250 });
    await drain(g, 10);
    expectExactCounts(g, tally);
  });

  const outages: [string, Parameters<NonNullable<Gateway["sim"]>["inject"]>[0]][] = [
    ["answers 503", { scope: "backend", answer: "error", status: 503 }],
    ["drops connections", { scope: "backend", answer: "close" }],
    ["answers 500", { scope: "backend", answer: "error", status: 500 }],
  ];
  /** what the outage did to the requests in it */
  const policies: [string, Record<string, unknown>, (g: Gateway, t: Tally) => void][] = [
    ["closed", { mode: "closed" }, (g, t) => {
      expect(t.got(403) + t.got(502)).toBeGreaterThan(0);
      expect(g.metric("failure_policy.opened") + g.metric("failure_policy.stale_served")).toBe(0);
    }],
    ["open", { mode: "open" }, (g, t) => {
      expect(t.got(403) + t.got(502)).toBe(0);
      expect(g.metric("failure_policy.opened")).toBeGreaterThan(0);
    }],
    ["closed with stale authorizations", { mode: "closed", stale_seconds: 60 }, (g) => {
      expect(g.metric("failure_policy.stale_served")).toBeGreaterThan(0);
      expect(g.metric("failure_policy.opened")).toBe(0);
    }],
  ];
  for (const [outage, fault] of outages) {
    for (const [policy, failure_policy, check] of policies) {
      it(`counts exactly when the backend ${outage} for a while (failure policy ${policy})`, async () => {
        g = await gateway(cachedConfig({ cache: { report_interval: INTERVAL, authorization_ttl: 4 }, failure_policy }), { simulator: true });
        const tally = new Tally();
        await traffic(g, tally, { requests: 100, pauseMs: 500 });
        g.sim!.inject(fault);
        const during = new Tally();
        await traffic(g, during, { requests: 100, pauseMs: 500, offset: 100 });
        await g.advance(2 * INTERVAL * 1000);
        expect(g.metric("reports.failures")).toBeGreaterThan(0);
        check(g, during);
        g.sim!.clearFaults();
        await traffic(g, tally, { requests: 100, pauseMs: 500, offset: 200 });
        await drain(g, INTERVAL);
        for (const [k, v] of during.expected) tally.expected.set(k, tally.expected.get(k)! + v);
        tally.allowed += during.allowed;
        expectExactCounts(g, tally);
      });
    }
  }

  it("counts exactly across a backend crash and restart (connections refused)", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: INTERVAL, authorization_ttl: 3 }, failure_policy: { mode: "open" } }), { simulator: true });
    const tally = new Tally();
    await traffic(g, tally, { requests: 80, pauseMs: 500 });
    await g.sim!.pause();
    await traffic(g, tally, { requests: 80, pauseMs: 500, offset: 80 });
    expect(g.metric("failure_policy.opened")).toBeGreaterThan(0);
    expect(g.metric("reports.failures")).toBeGreaterThan(0);
    await g.sim!.resume();
    await traffic(g, tally, { requests: 80, pauseMs: 500, offset: 160 });
    await drain(g, INTERVAL);
    expectExactCounts(g, tally);
  });

  it("reports the pending usage exactly once across a re-configure", async () => {
    const configuration = cachedConfig({ cache: { report_interval: INTERVAL } });
    g = await gateway(configuration, { simulator: true });
    const tally = new Tally();
    await traffic(g, tally, { requests: 100, pauseMs: 300 });
    await g.configure(cachedConfig({ cache: { report_interval: INTERVAL + 1 } }));
    await traffic(g, tally, { requests: 100, pauseMs: 300, offset: 100 });
    await g.configure(configuration);
    await traffic(g, tally, { requests: 50, pauseMs: 300, offset: 200 });
    await drain(g, INTERVAL + 1);
    expectExactCounts(g, tally);
  });

  it("reports exactly once when a re-configure happens while reports are in flight", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: INTERVAL } }), { simulator: true });
    const tally = new Tally();
    await traffic(g, tally, { requests: 60, pauseMs: 200 });
    const hold = gate();
    const forward = g.forward;
    g.backend = async (call) => { if (isReport(call)) await hold.wait; return forward(call); };
    const before = g.reports().length;
    g.host.advance(INTERVAL * 1000);
    const inFlight = g.reports().length - before;
    expect(inFlight).toBeGreaterThan(0);
    await g.configure(cachedConfig({ cache: { report_interval: INTERVAL, authorization_ttl: 7 } }));
    hold.open();
    await g.host.idle();
    await traffic(g, tally, { requests: 40, pauseMs: 200, offset: 60 });
    await drain(g, INTERVAL);
    expectExactCounts(g, tally);
  });

  it("reports usage left by a previous VM: the next VM scans every slot, 512 a tick, and reports what it finds", async () => {
    const configuration = cachedConfig({ cache: { report_interval: INTERVAL } });
    g = await gateway(configuration, { simulator: true });
    const tally = new Tally();
    await traffic(g, tally, { requests: 60, pauseMs: 100 });
    expect(g.reports()).toHaveLength(0);
    // the VMs go away before their first report, without on_done (which would report; a crash,
    // or a host that does not wait): a new generation shares their data
    const previous = g;
    try {
      g = await gateway(configuration, { simulator: previous.sim!, shared: previous.host.shared });
      previous.host.instances.forEach((vm) => vm.kill());
      await drain(g, INTERVAL, 5); // 10,000 slots take 20 ticks
      expect(g.reports().length).toBeGreaterThan(0);
      expect(recorded(g)).toEqual(tally.expected);
      // the authreps were made by the previous generation, the reports by the new one
      expect(authorizedByAuthrep(previous) + g.metric("reports.requests")).toBe(tally.allowed);
    } finally {
      await previous.close();
    }
  });
});
