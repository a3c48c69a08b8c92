// The authorization cache and batched reporting in a real Envoy 1.40 with two workers, under
// concurrent load: the usage the backend records must be exactly the requests Envoy let through
// — nothing lost, nothing reported twice — also while the backend is down and after it comes
// back, and after the listeners are drained. The failure policies are checked the same way.
import { describe, expect, it } from "vitest";
import { moduleStats, type RunningEnvoy } from "../../tools/envoy/envoy";
import type { Simulator } from "../../tools/simulator/server";
import type { Seed } from "../../tools/simulator/seed";
import { config, service } from "../support/configs";
import { envoyBin, failures, startInto, stopAfterEach } from "./support";
import { sleep, startLoad, statusCounts, until, type Outcome } from "../support/request-loop";

const SERVICE_ID = "2555417900001";
const TOKEN = "st-batch";
const HOST = "api.example.com";
const APPS = ["a", "b", "c"];
const userKey = (app: string) => `uk-${app}`;

// `products` is not a child of `hits`, so each metric counts only its own rule's requests
const seed: Seed = {
  services: [{
    id: SERVICE_ID, providerKey: "pk", tokens: [TOKEN],
    metrics: [{ name: "hits" }, { name: "products" }],
    applications: APPS.map((app) => ({ id: `app-${app}`, userKey: userKey(app) })),
  }],
};

const rules = [
  { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
  { method: "GET", pattern: "/products", usages: [{ name: "products", delta: 2 }] },
];
const REPORT_INTERVAL_S = 1;

function pluginConfig(o: { ttl?: number; policy?: object; cache?: boolean } = {}): string {
  const c = config([service({ id: SERVICE_ID, token: TOKEN, mapping_rules: rules })], o.policy ? { failure_policy: o.policy } : {});
  if (o.cache !== false) (c.backend as Record<string, unknown>).cache = { authorization_ttl: o.ttl ?? 30, report_interval: REPORT_INTERVAL_S };
  return JSON.stringify(c);
}

/** request n: app n mod 3, every other one on /products */
const path = (n: number) => `${n % 2 ? `/products/${n}` : "/"}?user_key=${userKey(APPS[n % APPS.length])}`;

/** what the backend must have recorded for `outcomes`: per app, hits (pattern "/" matches every path) and products (delta 2) of the 200s */
function expectedUsage(outcomes: readonly Outcome[]): Record<string, { hits: number; products: number }> {
  const usage = Object.fromEntries(APPS.map((app) => [`app-${app}`, { hits: 0, products: 0 }]));
  for (const r of outcomes.filter((o) => o.status === 200)) {
    const app = `app-${new URLSearchParams(r.path.split("?")[1]).get("user_key")!.slice(3)}`;
    usage[app]!.hits += 1;
    if (r.path.startsWith("/products")) usage[app]!.products += 2;
  }
  return usage;
}

const recordedUsage = (sim: Simulator) =>
  Object.fromEntries(APPS.map((app) => [`app-${app}`, { hits: sim.usage(SERVICE_ID, `app-${app}`, "hits"), products: sim.usage(SERVICE_ID, `app-${app}`, "products") }]));

/** waits until the reports have landed: recorded equals expected (or times out showing both) */
async function expectExactUsage(sim: Simulator, outcomes: readonly Outcome[]): Promise<void> {
  const expected = expectedUsage(outcomes);
  await until("the batched reports", () => JSON.stringify(recordedUsage(sim)) === JSON.stringify(expected), 15_000).catch(() => undefined);
  expect(recordedUsage(sim)).toEqual(expected);
  // and it stays so: no late duplicate report
  await sleep(2500 * REPORT_INTERVAL_S);
  expect(recordedUsage(sim)).toEqual(expected);
}

const stat = async (envoy: RunningEnvoy, name: string) => (await moduleStats(envoy))[name] ?? 0;
const reports = (sim: Simulator) => sim.requests.filter((r) => r.method === "POST" && r.pathname === "/transactions.xml");
const authreps = (sim: Simulator) => sim.requests.filter((r) => r.pathname === "/transactions/authrep.xml");

const stack = stopAfterEach();

const start = (configuration: string) => startInto(stack, { seed, configuration, name: "e2e.batching", quiet: true });

/** runs the load until `n` more requests have been answered */
const runFor = (load: { outcomes: readonly Outcome[] }, n: number) => {
  const target = load.outcomes.length + n;
  return until(`${n} more requests`, () => load.outcomes.length >= target, 30_000);
};

describe.skipIf(!envoyBin)("authorization cache and batched reports in real Envoy", () => {
  it("records exactly the requests let through, with far fewer backend calls than requests", { timeout: 60_000 }, async () => {
    const { envoy, simulator } = await start(pluginConfig());
    const load = startLoad(envoy, { clients: 8, host: HOST, path });
    await runFor(load, 600);
    const outcomes = await load.stop();

    expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
    await expectExactUsage(simulator, outcomes);
    // one authrep per key (3 apps × 2 endpoints) and worker at most, plus coalesced waits
    expect(authreps(simulator).length).toBeLessThanOrEqual(12);
    expect(reports(simulator).length).toBeGreaterThan(0);
    expect(await stat(envoy, "cache.hits")).toBeGreaterThan(outcomes.length - 20);
    expect(failures(envoy)).toEqual([]);
  });

  it("keeps serving stale authorizations while the backend is down and reports the usage once it is back", { timeout: 90_000 }, async () => {
    const { envoy, simulator } = await start(pluginConfig({ ttl: 1, policy: { mode: "closed", stale_seconds: 120 } }));
    const load = startLoad(envoy, { clients: 8, host: HOST, path });
    await runFor(load, 300);
    await simulator.pause(); // as if the backend process died: connections refused
    const down = Date.now();
    await sleep(4000); // longer than the TTL and several report intervals: reports fail and are retried
    const restarting = Date.now();
    await simulator.resume();
    await runFor(load, 300);
    const outcomes = await load.stop();

    expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
    expect(outcomes.filter((r) => r.start >= down && r.end <= restarting).length).toBeGreaterThan(50);
    expect(await stat(envoy, "failure_policy.stale_served")).toBeGreaterThan(0);
    expect(await stat(envoy, "reports.failures")).toBeGreaterThan(0);
    await expectExactUsage(simulator, outcomes);
    expect(await stat(envoy, "reports.dropped_requests")).toBe(0);
    expect(failures(envoy)).toEqual([]);
  });

  it("fails closed once cached authorizations expire while the backend is down, and counts exactly", { timeout: 90_000 }, async () => {
    const { envoy, simulator } = await start(pluginConfig({ ttl: 1 }));
    const load = startLoad(envoy, { clients: 8, host: HOST, path });
    await runFor(load, 300);
    await simulator.pause();
    const down = Date.now();
    await sleep(4000);
    const restarting = Date.now();
    await simulator.resume();
    await runFor(load, 300);
    const outcomes = await load.stop();

    // after the TTL the requests need the backend: Envoy answers the refused call 503 → 403
    const lateInOutage = outcomes.filter((r) => r.start >= down + 2500 && r.end <= restarting);
    expect(lateInOutage.length).toBeGreaterThan(20);
    expect(statusCounts(lateInOutage)).toEqual({ "403": lateInOutage.length });
    expect(outcomes.filter((r) => ![200, 403, 502].includes(r.status))).toEqual([]);
    await expectExactUsage(simulator, outcomes);
    expect(failures(envoy)).toEqual([]);
  });

  it("fails open without a cache when configured to, counting what it could not report", { timeout: 60_000 }, async () => {
    const { envoy, simulator } = await start(pluginConfig({ cache: false, policy: { mode: "open" } }));
    const load = startLoad(envoy, { clients: 6, host: HOST, path });
    await runFor(load, 100);
    await simulator.pause();
    await sleep(2000);
    await simulator.resume();
    await runFor(load, 100);
    const outcomes = await load.stop();

    expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
    const opened = await stat(envoy, "failure_policy.opened");
    expect(opened).toBeGreaterThan(10);
    expect(await stat(envoy, "usage.unreported")).toBe(opened);
    const hits = Object.values(recordedUsage(simulator)).reduce((n, u) => n + u.hits, 0);
    expect(hits).toBe(outcomes.length - opened);
    expect(failures(envoy)).toEqual([]);
  });

  it("reports everything after the listeners are drained", { timeout: 60_000 }, async () => {
    const { envoy, simulator } = await start(pluginConfig());
    const load = startLoad(envoy, { clients: 8, host: HOST, path });
    await runFor(load, 300);
    const outcomes = await load.stop();
    const drained = await fetch(`${envoy.adminUrl}/drain_listeners?graceful`, { method: "POST" });
    expect(drained.status).toBe(200);
    await expectExactUsage(simulator, outcomes);
    expect(failures(envoy)).toEqual([]);
  });
});
