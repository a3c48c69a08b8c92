// Report size: whatever the number of credentials in one report interval, each POST
// /transactions.xml carries one credential and at most 256 KiB of body, the body is built
// linearly (no trap), a worker keeps at most 32 calls waiting, and every request is counted
// exactly once across the calls.
import { afterEach, describe, expect, it } from "vitest";
import { type Seed } from "../../tools/simulator/seed";
import { startSimulator } from "../../tools/simulator/server";
import { seed } from "../e2e/support";
import { cachedConfig, gateway, isReport, reportParams, START_MS, user, USER_SERVICE, userService, type Gateway } from "./support";

const MAX_IN_FLIGHT = 32;
const MAX_BODY = 256 * 1024;

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

/** per report: its transactions as credential → usage (metric → total) */
function transactions(g: Gateway): Map<string, Map<string, number>>[] {
  return g.reports().map((call) => {
    const byIndex = new Map<string, { credential?: string; usage: Map<string, number> }>();
    for (const [name, value] of reportParams(call)) {
      const m = /^transactions\[(\d+)\]\[(user_key|app_id|usage)\](?:\[(.*)\])?$/.exec(name);
      if (!m) continue;
      const tx = byIndex.get(m[1]!) ?? { usage: new Map<string, number>() };
      byIndex.set(m[1]!, tx);
      if (m[2] === "usage") tx.usage.set(m[3]!, Number(value));
      else tx.credential = value;
    }
    return new Map([...byIndex.values()].map((tx) => [tx.credential!, tx.usage]));
  });
}

const bodyLength = (g: Gateway) => g.reports().map((c) => Buffer.byteLength(String(c.body)));

describe("report size", () => {
  it("reports 3,000 distinct credentials of one interval one call each, 32 waiting per worker at most, each request once", async () => {
    const KEYS = 3000;
    const keys = Array.from({ length: KEYS }, (_, i) => `bulk-${i.toString(36)}-${(i * 7919).toString(16)}`);
    const bulk: Seed = structuredClone(seed);
    bulk.services[0]!.applications!.push(...keys.map((k) => ({ id: `app-${k}`, plan: "Basic", userKey: k })));
    const sim = await startSimulator({ seed: bulk, now: START_MS });
    try {
      g = await gateway(cachedConfig({
        cache: { report_interval: 60, max_entries: 1_000_000 }, failure_policy: { mode: "open" },
      }), { simulator: sim });
      // authreps refused: under `open` every request of a new key is recorded for the report
      const waiting = new Map<string, number>();
      let most = 0;
      g.backend = async (call) => {
        if (!isReport(call)) return "refused";
        waiting.set(call.instance, (waiting.get(call.instance) ?? 0) + 1);
        most = Math.max(most, waiting.get(call.instance)!);
        try { return await g!.forward(call); } finally { waiting.set(call.instance, waiting.get(call.instance)! - 1); }
      };
      for (let i = 0; i < KEYS; i += 100) {
        const burst = keys.slice(i, i + 100).map((k) => user(g!, k));
        expect((await Promise.all(burst)).every((r) => r.status === 200)).toBe(true);
      }
      expect([g.metric("failure_policy.opened"), g.metric("usage.unreported"), g.metric("cache.table_full")]).toEqual([KEYS, 0, 0]);
      // the report at 60 s takes 1,000 entries at a time, its calls sent as earlier ones are answered
      await g.advance(60_000);
      expect(g.host.instances.map((vm) => vm.failed)).toEqual([false, false]);
      const reports = transactions(g);
      expect(reports.length).toBe(KEYS);
      for (const r of reports) expect(r.size).toBe(1);
      for (const n of bodyLength(g)) expect(n).toBeLessThanOrEqual(MAX_BODY);
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(keys.filter((k) => sim.usage(USER_SERVICE, k, "hits") !== 1)).toEqual([]);
      expect(sim.reportErrors).toEqual([]);
      expect([g.metric("reports.requests"), g.metric("reports.dropped_requests")]).toEqual([KEYS, 0]);
      await g.advance(120_000);
      expect(g.metric("reports.requests")).toBe(KEYS);
    } finally {
      await g?.close();
      g = undefined;
      await sim.close();
    }
  }, 120_000);

  it("splits one credential's usage over calls when its metrics alone exceed the body bound", async () => {
    const RULES = 600;
    const metric = (i: number) => `m${i}-`.padEnd(500, "x");
    const rules = Array.from({ length: RULES }, (_, i) => ({ method: "GET", pattern: `/m${i}/`, usages: [{ name: metric(i), delta: i + 1 }] }));
    g = await gateway(cachedConfig({
      cache: { report_interval: 60, max_entries: 100_000 }, failure_policy: { mode: "open" }, services: [userService({ mapping_rules: rules })],
    }));
    g.backend = (call) => (isReport(call) ? { status: 200 } : "refused");
    for (let i = 0; i < RULES; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => user(g!, "one-key", { worker: 0, path: `/m${i + j}/` })));
    }
    await g.advance(60_000);
    const reports = transactions(g);
    expect(reports.length).toBeGreaterThan(1);
    for (const n of bodyLength(g)) expect(n).toBeLessThanOrEqual(MAX_BODY);
    const totals = new Map<string, number>();
    for (const r of reports) {
      expect([...r.keys()]).toEqual(["one-key"]);
      for (const [m, v] of r.get("one-key")!) totals.set(m, (totals.get(m) ?? 0) + v);
    }
    expect(totals).toEqual(new Map(rules.map((_, i) => [metric(i), i + 1])));
    expect(g.metric("reports.requests")).toBe(RULES);
  }, 60_000);
});
