// The authorization cache, batched reports and the failure policies in a real Envoy (2 workers)
// against Apisonator, under concurrent load: the usage Apisonator records, read back from it, is
// exactly what the clients saw allowed, per application and metric — under steady load, and when
// Apisonator's listener and worker are stopped and started again (Redis kept) while requests flow,
// under each failure policy. Prints the exact-count table.
// The listener is stopped with TERM (puma answers what it has): a crash (KILL) cuts calls off
// whose usage Apisonator may already have counted, which no client of it can know.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleStats, type RunningEnvoy, startEnvoy } from "../../tools/envoy/envoy";
import { provisionSeed } from "../../tools/apisonator/provision";
import type { SeedService } from "../../tools/simulator/seed";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { envoyBin, failures, wasmFile } from "../e2e/support";
import { sleep, startLoad, statusCounts, until, type Outcome } from "../support/request-loop";
import { apisonatorSource, settled, useApisonator } from "./support";

const BIG = 1_000_000_000;
const HOST = "api.example.com";
const TTL_S = 1;
const REPORT_INTERVAL_S = 1;
/** the steady test's fourth application has a plan of LIMIT hits (eternity: no period ends mid-test) */
const LIMITED = "d";
const LIMIT = 30;

const STEADY = { service: "7300", apps: ["a", "b", "c", LIMITED] };
type Policy = { mode: "closed" | "open"; stale_seconds?: number };
interface Scenario { name: string; service: string; cache: boolean; policy?: Policy }
/** one service each, so one outage serves them all; applications a, b, c */
const RESTARTED: Scenario[] = [
  { name: "closed, no cache", service: "7301", cache: false },
  { name: "closed, cache", service: "7302", cache: true },
  { name: "open, no cache", service: "7303", cache: false, policy: { mode: "open" } },
  { name: "open, cache", service: "7304", cache: true, policy: { mode: "open" } },
  { name: "stale_seconds 120, cache", service: "7305", cache: true, policy: { mode: "closed", stale_seconds: 120 } },
];
const APPS = ["a", "b", "c"];

// every metric has a limit in the eternity period: that is how Apisonator's usage is read back;
// `products` is not a child of `hits`, so each counts only its own rule
const serviceSeed = (id: string, apps: string[]): SeedService => ({
  id, providerKey: "pk-restart", mode: "1", tokens: [`tok-${id}`],
  metrics: [{ name: "hits" }, { name: "products" }],
  plans: ["Basic", "Trial"].map((name) => ({
    name,
    limits: [{ metric: "hits", period: "eternity", max: name === "Trial" ? LIMIT : BIG }, { metric: "products", period: "eternity", max: BIG }],
  })),
  applications: apps.map((app) => ({ id: `app-${app}`, plan: app === LIMITED ? "Trial" : "Basic", userKey: `uk-${app}` })),
});

const rules = [
  { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
  { method: "GET", pattern: "/products", usages: [{ name: "products", delta: 2 }] },
];

/** request n: application n mod k, every other round on /products (so every app uses both endpoints) */
const pathFor = (apps: string[]) => (n: number) =>
  `${Math.floor(n / apps.length) % 2 ? "/products" : "/"}?user_key=uk-${apps[n % apps.length]}&n=${n}`;
const appOf = (o: Outcome) => new URLSearchParams(o.path.split("?")[1]).get("user_key")!.slice(3);

type Usage = Record<string, { hits: number; products: number }>;

/** per app, what the backend must record for the allowed requests: hits (every path) and products (delta 2) */
function expectedUsage(outcomes: readonly Outcome[], apps: string[]): Usage {
  const usage: Usage = Object.fromEntries(apps.map((app) => [app, { hits: 0, products: 0 }]));
  for (const o of outcomes.filter((r) => r.status === 200)) {
    usage[appOf(o)]!.hits += 1;
    if (o.path.startsWith("/products")) usage[appOf(o)]!.products += 2;
  }
  return usage;
}

const sum = (usage: Usage, metric: "hits" | "products") => Object.values(usage).reduce((n, u) => n + u[metric], 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** one line of the exact-count table */
interface Row { scenario: string; requests: number; allowed: number; statuses: Record<string, number>; expected: Usage; recorded: Usage; stats: Record<string, number> }
const rows: Row[] = [];
/** lines printed after the table (the outage's timings) */
const notes: string[] = [];

function printTable(): void {
  const usage = (u: Usage) => Object.entries(u).map(([app, { hits, products }]) => `${app} ${hits}/${products}`).join(", ");
  const stat = (r: Row, name: string) => r.stats[name] ?? 0;
  console.log([
    "Apisonator exact counts (usage per app: hits/products; authreps = backend.calls, reports = reports.calls)",
    ...rows.map((r) => [
      `${r.scenario.padEnd(26)} requests ${r.requests}, allowed ${r.allowed}, statuses ${JSON.stringify(r.statuses)}`,
      `  expected ${usage(r.expected)}`,
      `  recorded ${usage(r.recorded)}`,
      `  authreps ${stat(r, "backend.calls")}, reports ${stat(r, "reports.calls")} (failed ${stat(r, "reports.failures")}),`
        + ` opened ${stat(r, "failure_policy.opened")}, stale ${stat(r, "failure_policy.stale_served")}, unreported ${stat(r, "usage.unreported")},`
        + ` dropped ${stat(r, "reports.dropped_requests")}, backend calls cut off ${stat(r, CUT_OFF)}, timed out ${stat(r, TIMED_OUT)}`,
    ].join("\n")),
    ...notes,
  ].join("\n"));
}

/** Envoy's count of backend connections closed by Apisonator with a request in flight, kept with the module's stats */
const CUT_OFF = "upstream_cx_destroy_remote_with_active_rq";
/** … and of backend calls that timed out */
const TIMED_OUT = "upstream_rq_timeout";
async function statsOf(envoy: RunningEnvoy): Promise<Record<string, number>> {
  const cluster = Object.entries(await envoy.stats(`(${CUT_OFF}|${TIMED_OUT})$`)).filter(([name]) => name.includes(BACKEND_CLUSTER));
  const of = (stat: string) => cluster.find(([name]) => name.endsWith(`.${stat}`))?.[1] ?? 0;
  return { ...(await moduleStats(envoy)), [CUT_OFF]: of(CUT_OFF), [TIMED_OUT]: of(TIMED_OUT) };
}

/** runs the load until `n` more requests have been answered */
const runFor = (load: { outcomes: readonly Outcome[] }, n: number) => {
  const target = load.outcomes.length + n;
  return until(`${n} more requests`, () => load.outcomes.length >= target, 30_000);
};

/** What a restarted scenario saw: its outcomes, times of the outage, and its module stats. */
interface Run { outcomes: Outcome[]; stats: Record<string, number>; envoy: RunningEnvoy }

// the restart needs a kit instance (an Apisonator at APISONATOR_URL cannot be stopped from here)
const restartable = apisonatorSource?.kind === "kit";
if (apisonatorSource && !restartable) {
  const why = "APISONATOR_URL names an Apisonator these tests cannot stop and restart";
  if (process.env.CI === "true") throw new Error(`${why} — the restart tests are required under CI`);
  console.warn(`SKIPPING the Apisonator restart tests: ${why}`);
}

describe.skipIf(!envoyBin || !apisonatorSource)("authrep-wasm in real Envoy against Apisonator: exact counts", () => {
  const b = useApisonator();
  let upstream: Upstream;

  const recorded = async (serviceId: string, apps: string[]): Promise<Usage> => Object.fromEntries(await Promise.all(apps.map(async (app) => {
    const reports = await b.internal.usageReports(serviceId, { userKey: `uk-${app}` });
    const eternity = (metric: string) => reports.find((u) => u.metric_name === metric && u.period === "eternity")!.current_value;
    return [app, { hits: eternity("hits"), products: eternity("products") }] as const;
  })));

  function startWith(s: { service: string; cache: boolean; policy?: Policy }): Promise<RunningEnvoy> {
    const plugin = config([service({ id: s.service, token: `tok-${s.service}`, mapping_rules: rules })], s.policy ? { failure_policy: s.policy } : {});
    // Apisonator (in development mode) only answers Host values it permits, such as localhost
    plugin.backend = {
      name: "backend", upstream: { name: BACKEND_CLUSTER, url: "http://localhost/", timeout: 5000 },
      ...(s.cache && { cache: { authorization_ttl: TTL_S, report_interval: REPORT_INTERVAL_S } }),
    };
    return startEnvoy({
      bin: envoyBin!, componentLogLevel: "wasm:info",
      bootstrap: {
        appPort: upstream.port, clusters: { [BACKEND_CLUSTER]: b.apisonator.port }, accessLog: true,
        wasm: { wasmFile, configuration: JSON.stringify(plugin), name: `apisonator.${s.service}` },
      },
    });
  }

  beforeAll(async () => {
    await provisionSeed(b.internal, { services: [serviceSeed(STEADY.service, STEADY.apps), ...RESTARTED.map((s) => serviceSeed(s.service, APPS))] });
    upstream = await startUpstream();
  }, 200_000);
  afterAll(async () => {
    await upstream?.stop();
    if (rows.length) printTable();
  });

  it("with the cache and batched reports under steady load: recorded == allowed per app and metric, and no late duplicates", { timeout: 90_000 }, async () => {
    const envoy = await startWith({ service: STEADY.service, cache: true });
    try {
      const load = startLoad(envoy, { clients: 8, host: HOST, path: pathFor(STEADY.apps) });
      // also until the limited app is denied: a cached authorization must give way to the backend's denial
      try {
        await runFor(load, 600);
        await until(`a 429 for app ${LIMITED}`, () => load.outcomes.some((o) => o.status === 429), 30_000);
      } finally {
        await load.stop();
      }
      const outcomes = [...load.outcomes];
      const expected = expectedUsage(outcomes, STEADY.apps);
      const read = () => recorded(STEADY.service, STEADY.apps);
      const first = await settled(read, { done: (u) => same(u, expected), quietMs: 6000, timeoutMs: 40_000 });
      await sleep(2500 * REPORT_INTERVAL_S); // two more report intervals: nothing may arrive twice
      const last = await settled(read);
      const stats = await statsOf(envoy);
      rows.push({ scenario: "steady, cache", requests: outcomes.length, allowed: statusCounts(outcomes)["200"] ?? 0, statuses: statusCounts(outcomes), expected, recorded: last, stats });

      const unlimited = outcomes.filter((o) => appOf(o) !== LIMITED);
      expect(statusCounts(unlimited)).toEqual({ "200": unlimited.length });
      const limited = outcomes.filter((o) => appOf(o) === LIMITED);
      expect(limited.filter((o) => o.status !== 200 && o.status !== 429)).toEqual([]);
      expect(limited.filter((o) => o.status === 429).length).toBeGreaterThan(0);
      expect(expected[LIMITED]!.hits).toBeGreaterThanOrEqual(LIMIT); // Apisonator denies only once its counter reached the limit
      expect(first).toEqual(expected);
      expect(last).toEqual(expected);
      expect(stats["reports.dropped_requests"] ?? 0).toBe(0);
      expect(failures(envoy)).toEqual([]);
    } finally {
      await envoy.stop();
    }
  });

  describe.skipIf(!restartable)("Apisonator's listener and worker stopped and restarted under load", () => {
    const OUTAGE_MS = 5000;
    /** load clients per Envoy */
    const CLIENTS = 3;
    const runs = new Map<string, Run>();
    /** when the stopped processes had exited, when they were started again, when the listener answered */
    let down = 0;
    let restarting = 0;
    let up = 0;
    let first: Record<string, Usage> = {};
    let last: Record<string, Usage> = {};

    const readAll = async () => Object.fromEntries(await Promise.all(RESTARTED.map(async (s) => [s.service, await recorded(s.service, APPS)] as const)));
    /**
     * A backend call that timed out may or may not have been counted by the backend, and the module
     * cannot tell (docs/decision.md §6): a request let through after its authrep timed out (`open`,
     * stale) is not reported again — never twice — so it is missing if the backend dropped the call;
     * a request denied after a timeout (`closed`) is counted if the backend did count it. Each such
     * call moves a metric by one here; every other request must be counted exactly.
     */
    const timedOut = (s: Scenario) => runs.get(s.service)!.stats[TIMED_OUT] ?? 0;
    const letsThrough = (s: Scenario) => s.policy?.mode === "open" || (s.policy?.stale_seconds ?? 0) > 0;
    const withinTimeouts = (s: Scenario, usage: Usage, expected: Usage) => {
      const t = timedOut(s);
      return APPS.every((app) => (["hits", "products"] as const).every((m) => {
        const gap = expected[app]![m] - usage[app]![m];
        return letsThrough(s) ? gap >= 0 && gap <= t : gap <= 0 && gap >= -t;
      })) && (["hits", "products"] as const).every((m) => Math.abs(sum(expected, m) - sum(usage, m)) <= t);
    };
    /** the usage a scenario's Apisonator must show: exact but for timed-out calls; `open` without a cache never reports what it let through */
    const matches = (s: Scenario, usage: Usage) => {
      const run = runs.get(s.service)!;
      const expected = expectedUsage(run.outcomes, APPS);
      if (s.cache || s.policy?.mode !== "open") return withinTimeouts(s, usage, expected);
      const recorded = sum(usage, "hits");
      const allowed = sum(expected, "hits");
      return recorded <= allowed - (run.stats["usage.unreported"] ?? 0) && recorded >= allowed - (run.stats["failure_policy.opened"] ?? 0);
    };

    beforeAll(async () => {
      const envoys = await Promise.all(RESTARTED.map((s) => startWith(s)));
      const loads = envoys.map((envoy) => startLoad(envoy, { clients: CLIENTS, host: HOST, path: pathFor(APPS) }));
      try {
        await Promise.all(loads.map((load) => runFor(load, 60)));
        const stopping = Date.now();
        await b.apisonator.processes!.stop();
        down = Date.now();
        await sleep(OUTAGE_MS);
        restarting = Date.now();
        await b.apisonator.processes!.start();
        up = Date.now();
        notes.push(`outage: listener and worker stopped (TERM) in ${down - stopping} ms, down ${restarting - down} ms, answering ${up - restarting} ms after their restart`);
        await Promise.all(loads.map((load) => until("60 requests after the restart", () => load.outcomes.filter((o) => o.start >= up).length >= 60, 30_000)));
      } finally {
        await Promise.all(loads.map((load) => load.stop()));
      }
      for (const [i, s] of RESTARTED.entries()) {
        runs.set(s.service, { outcomes: [...loads[i]!.outcomes], stats: await statsOf(envoys[i]!), envoy: envoys[i]! });
      }
      // the reports put back during the outage go at the next interval; the worker counts a second later
      first = await settled(readAll, { done: (all) => RESTARTED.every((s) => matches(s, all[s.service]!)), quietMs: 6000, timeoutMs: 40_000 });
      await sleep(2500 * REPORT_INTERVAL_S);
      last = await settled(readAll);
      for (const s of RESTARTED) {
        const { outcomes, stats } = runs.get(s.service)!;
        rows.push({
          scenario: `restart, ${s.name}`, requests: outcomes.length, allowed: statusCounts(outcomes)["200"] ?? 0, statuses: statusCounts(outcomes),
          expected: expectedUsage(outcomes, APPS), recorded: last[s.service]!, stats,
        });
      }
    }, 150_000);
    afterAll(async () => { await Promise.all([...runs.values()].map((r) => r.envoy.stop())); });

    const during = (s: Scenario, fromMs = 0) => runs.get(s.service)!.outcomes.filter((o) => o.start >= down + fromMs && o.end <= restarting);
    const after = (s: Scenario) => runs.get(s.service)!.outcomes.filter((o) => o.start >= up);
    /** recorded == allowed, at once and after two more report intervals; statuses back to 200 after the restart */
    const expectRecovered = (s: Scenario) => {
      const { outcomes, stats, envoy } = runs.get(s.service)!;
      // denied after the restart, with times from the moment the listener answered again
      const details = new Map(envoy.accessLog().map((e) => [e.path, e.details]));
      const denied = after(s).filter((o) => o.status !== 200).map((o) => ({ status: o.status, details: details.get(o.path), ms: [o.start - up, o.end - up] }));
      // The restarted Apisonator sometimes leaves an authrep sent in its first second unanswered
      // (seen in CI: sent 155 ms after it answered, timed out at 5 s); the module then fails
      // closed as it should. At most one such call per client; every later request must pass.
      const firstSecondTimeouts = (d: (typeof denied)[number]) => d.ms[0]! < 1000 && d.details === "authrep_denied_504";
      expect(denied.filter(firstSecondTimeouts).length).toBeLessThanOrEqual(CLIENTS);
      expect(denied.filter((d) => !firstSecondTimeouts(d))).toEqual([]);
      const expected = expectedUsage(outcomes, APPS);
      if (timedOut(s) === 0) {
        expect(first[s.service]).toEqual(expected);
        expect(last[s.service]).toEqual(expected);
      } else {
        expect(withinTimeouts(s, first[s.service]!, expected), `${JSON.stringify(first[s.service])} vs ${JSON.stringify(expected)}, ${timedOut(s)} timed out`).toBe(true);
        expect(last[s.service]).toEqual(first[s.service]);
      }
      expect(stats["reports.dropped_requests"] ?? 0).toBe(0);
      expect(failures(envoy)).toEqual([]);
    };
    const scenario = (name: string) => RESTARTED.find((s) => s.name === name)!;

    it("closed, no cache: every request during the outage is denied (403, or 502 for a call cut off)", () => {
      const s = scenario("closed, no cache");
      const outage = during(s);
      expect(outage.length).toBeGreaterThan(20);
      expect(outage.filter((o) => o.status !== 403 && o.status !== 502)).toEqual([]);
      expect(outage.filter((o) => o.status === 403).length).toBeGreaterThan(0);
      expectRecovered(s);
    });

    it("closed, cache: denied once the cached authorizations expired, what they let through is reported after the restart", () => {
      const s = scenario("closed, cache");
      const late = during(s, TTL_S * 1000 + 1500);
      expect(late.length).toBeGreaterThan(20);
      expect(late.filter((o) => o.status !== 403 && o.status !== 502)).toEqual([]);
      expect(runs.get(s.service)!.stats["reports.failures"]).toBeGreaterThan(0);
      expectRecovered(s);
    });

    it("open, no cache: everything let through; recorded == allowed − usage.unreported", () => {
      const s = scenario("open, no cache");
      const { outcomes, stats, envoy } = runs.get(s.service)!;
      expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
      expect(during(s).length).toBeGreaterThan(20);
      const opened = stats["failure_policy.opened"] ?? 0;
      expect(opened).toBeGreaterThanOrEqual(during(s).length);
      // let through without a report, except those whose authrep timed out (the backend may have them)
      const unreported = stats["usage.unreported"] ?? 0;
      expect(opened - unreported).toBeGreaterThanOrEqual(0);
      expect(opened - unreported).toBeLessThanOrEqual(timedOut(s));
      for (const usage of [first[s.service]!, last[s.service]!]) {
        expect(sum(usage, "hits")).toBeLessThanOrEqual(outcomes.length - unreported);
        expect(sum(usage, "hits")).toBeGreaterThanOrEqual(outcomes.length - opened);
      }
      // per app and metric, never more than allowed
      const expected = expectedUsage(outcomes, APPS);
      for (const app of APPS) {
        expect(last[s.service]![app]!.hits).toBeLessThanOrEqual(expected[app]!.hits);
        expect(last[s.service]![app]!.products).toBeLessThanOrEqual(expected[app]!.products);
      }
      expect(failures(envoy)).toEqual([]);
    });

    it("open, cache: everything let through, and all of it reported after the restart", () => {
      const s = scenario("open, cache");
      const { outcomes, stats } = runs.get(s.service)!;
      expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
      expect(during(s).length).toBeGreaterThan(20);
      expect(stats["failure_policy.opened"]).toBeGreaterThan(0);
      expect(stats["usage.unreported"] ?? 0).toBe(0);
      expectRecovered(s);
    });

    it("stale_seconds with the cache: stale authorizations serve the whole outage, all of it reported after the restart", () => {
      const s = scenario("stale_seconds 120, cache");
      const { outcomes, stats } = runs.get(s.service)!;
      expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
      expect(during(s).length).toBeGreaterThan(20);
      expect(stats["failure_policy.stale_served"]).toBeGreaterThan(0);
      expectRecovered(s);
    });
  });
});
