// Sections for the authorization cache with batched reporting (`backend.cache`):
// - "backend calls vs request rate": the same Envoy + filter under a fixed request rate R and
//   then 2R; with the cache the backend sees about the same number of calls per second at both
//   rates (authorizations refreshed per TTL, reports per interval), without it twice as many.
// - "memory over N requests": the module's Wasm memory (gauge authrep_wasm.memory.pages, summed
//   over the VMs) once configured with 1,000 realistic mapping rules, after warm-up and after N
//   requests, against the 8 MiB per VM target; flat means nothing grows per request.
// Calls are counted three ways: Envoy's backend cluster counter (upstream_rq_total, whatever the
// module does), the module's own authrep_wasm.backend.calls, and the simulator's request log.
import { setTimeout as sleep } from "node:timers/promises";
import { startEnvoy, type RunningEnvoy } from "../tools/envoy/envoy";
import { spawnUpstream } from "./child-server";
import { delta, filterStats, rssKiB, simLog, type FilterStats } from "./envoy-stats";
import { measure, type LoadOptions, type LoadSample } from "./load";
import type { SectionResult } from "./report";
import { authrepTarget, type CacheConfig, type FilterTarget } from "./targets";
import { pagesBound } from "../tools/memory/bound";

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
/** the module updates the memory gauge on its ~1 s tick; wait for every VM to have ticked */
const TICK_SETTLE_MS = 2500;
/** Envoy's workers in the bench (tools/envoy/envoy.ts default concurrency) */
const WORKERS = 2;
/** VMs the gauge sums: one per worker and the main thread's */
const VMS = WORKERS + 1;
/** the target for one VM configured with 1,000 mapping rules: 8 MiB */
const TARGET_PAGES_PER_VM = 128;
/** a bench request (path, headers Envoy adds) and a report body of a few users are under this */
const LARGEST_INPUT_BYTES = 1024;
/**
 * calls(2R) / calls(R) up to this counts as flat: closer to ×1 than to the ×2 of a call per
 * request (√2 ≈ 1.41, rounded down). Calls come in whole rounds (a refresh per key and worker
 * per TTL, a report per worker per interval), so a phase sees ±1 round: ~10 calls per 10 s
 * with the defaults, hence the slack and the 20 s default phases.
 */
const FLAT_TOLERANCE = 1.4;

interface FilterSetup {
  envoy: RunningEnvoy;
  simUrl: string;
  target: FilterTarget;
}

/** upstream app, simulator and one Envoy with the filter; everything stopped afterwards */
async function withFilterEnvoy<T>(target: FilterTarget, run: (s: FilterSetup) => Promise<T>): Promise<T> {
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const app = await spawnUpstream();
    stoppers.push(app.stop);
    const backend = await target.startBackend();
    stoppers.push(backend.stop);
    if (!backend.url) throw new Error(`${target.name}: the backend is not a simulator`);
    const envoy = await startEnvoy({
      componentLogLevel: "",
      bootstrap: {
        appPort: app.port,
        accessLog: false,
        clusters: backend.clusters,
        wasm: { wasmFile: target.wasmFile, configuration: target.configuration },
      },
    });
    stoppers.push(envoy.stop);
    return await run({ envoy, simUrl: backend.url, target });
  } finally {
    for (const stop of stoppers.reverse()) await stop();
  }
}

const loadFor = (t: FilterTarget, connections: number): LoadOptions => ({
  connections, durationS: 1, path: t.path, headers: t.headers, paths: t.paths,
});

export interface RateOptions {
  /** R in req/s; the section runs R, then 2R */
  rate: number;
  durationS: number;
  warmupS: number;
  connections: number;
  /** undefined: the module cannot take a cache yet (`--cache off`); only the no-cache config runs */
  cache?: CacheConfig;
  users: number;
}

interface RatePhase {
  rate: number;
  sample: LoadSample;
  calls: ReturnType<typeof delta>;
  callsPerS: number;
  callsPer1kRequests: number;
  /** served ≥ 95 % of the asked rate; if not, the machine (or the backend) was saturated */
  rateReached: boolean;
  simLog: Awaited<ReturnType<typeof simLog.count>>;
}

export async function backendCallsVsRate(o: RateOptions): Promise<SectionResult> {
  const configs = [
    ...(o.cache ? [{ config: "cache on", cache: o.cache }] : []),
    { config: "no cache", cache: undefined },
  ];
  const rows: Record<string, string | number>[] = [];
  const data: { config: string; target: string; phases: RatePhase[]; callsRatio: number; flat?: boolean }[] = [];
  for (const c of configs) {
    const target = await authrepTarget({ cache: c.cache, users: o.users });
    const phases = await withFilterEnvoy(target, async ({ envoy, simUrl }) => {
      const load = loadFor(target, o.connections);
      await measure(envoy.url, { ...load, durationS: o.warmupS, rate: o.rate }); // fills the cache
      const out: RatePhase[] = [];
      for (const rate of [o.rate, 2 * o.rate]) {
        const before = await filterStats(envoy);
        await simLog.clear(simUrl);
        const sample = await measure(envoy.url, { ...load, durationS: o.durationS, rate });
        const calls = delta(before, await filterStats(envoy));
        out.push({
          rate, sample, calls, callsPerS: calls.clusterRequests / sample.durationS,
          callsPer1kRequests: (1000 * calls.clusterRequests) / Math.max(sample.requests, 1),
          rateReached: sample.rps >= 0.95 * rate,
          simLog: await simLog.count(simUrl),
        });
      }
      return out;
    });
    // quantised counts: a phase shorter than the TTL / report interval may see no call at all
    const [r1, r2] = phases.map((p) => p.calls.clusterRequests);
    const callsRatio = r1 > 0 ? phases[1].callsPerS / phases[0].callsPerS : r2 === 0 ? 1 : Infinity;
    const flat = c.cache ? callsRatio <= FLAT_TOLERANCE : undefined;
    data.push({ config: c.config, target: target.name, phases, callsRatio, ...(flat !== undefined && { flat }) });
    for (const p of phases) {
      rows.push({
        config: c.config,
        "rate req/s": `${p.rate}${p.rate === o.rate ? " (R)" : " (2R)"}`,
        "served req/s": `${Math.round(p.sample.rps)}${p.rateReached ? "" : " (rate NOT reached)"}`,
        failures: p.sample.failures,
        "backend calls": p.calls.clusterRequests,
        "calls/s": round(p.callsPerS, 2),
        "calls/1k req": round(p.callsPer1kRequests, 2),
        "module backend.calls": p.calls.backendCalls ?? "n/a",
        "authrep / report": p.simLog.complete ? `${p.simLog.authrep} / ${p.simLog.report}` : "(sim log overflowed)",
      });
    }
    rows.push({
      config: c.config,
      "rate req/s": "calls 2R / R",
      "served req/s": "",
      failures: "",
      "backend calls": "",
      "calls/s": r1 === 0 && r2 === 0 ? "no calls" : `×${round(callsRatio, 2)}`,
      "calls/1k req": "",
      "module backend.calls": "",
      "authrep / report": c.cache ? `target ≈×1.0 (flat, ≤ ×${FLAT_TOLERANCE}): ${flat ? "met" : "MISSED"}` : "contrast: ≈×2.0 expected",
    });
  }
  const intervals = o.cache ? Math.max(o.cache.authorization_ttl, o.cache.report_interval) : 0;
  const short = o.durationS < intervals ? ` (phases shorter than the cache's ${intervals} s intervals: counts are coarse)` : "";
  return {
    title:
      `Backend calls vs request rate${short}: R = ${o.rate} and 2R = ${2 * o.rate} req/s, ${o.durationS} s each, ${o.connections} connections, ` +
      `${Math.max(o.users, 1)} user key(s)` + (o.cache ? "" : " — CACHE NOT CONFIGURED (--cache off)"),
    rows,
    data: { options: o, configs: data },
  };
}

export interface MemoryOptions {
  requests: number;
  connections: number;
  warmupS: number;
  cache?: CacheConfig;
  users: number;
  /** growth in pages (64 KiB, summed over VMs) still counted as flat */
  tolerancePages: number;
  /** seconds between gauge readings during the run (kept in the JSON); default 1 */
  pollS?: number;
  /** realistic mapping rules in the configuration (bench/mapping-rules.ts) */
  rules: number;
}

export async function memoryOverRequests(o: MemoryOptions): Promise<SectionResult> {
  const target = await authrepTarget({ cache: o.cache, users: o.users, rules: o.rules });
  return withFilterEnvoy(target, async ({ envoy }) => {
    const load = loadFor(target, o.connections);
    // the stated bound (docs/design.md §9): what the VMs hold once configured, plus per worker a
    // constant times the largest input — a request here is well under 1 KiB, reports too
    await sleep(TICK_SETTLE_MS);
    const configured = await filterStats(envoy);
    const bound = configured.memoryPages === undefined ? undefined : configured.memoryPages + WORKERS * pagesBound(0, LARGEST_INPUT_BYTES);
    // the warm-up spans a whole cache cycle (expiries, refreshes, a report) so that "before"
    // is the steady state, not the empty cache: the first cycle allocates what later ones reuse
    const warmupS = Math.max(o.warmupS, o.cache ? Math.max(o.cache.authorization_ttl, o.cache.report_interval) + 2 : 0);
    await measure(envoy.url, { ...load, durationS: warmupS });
    await sleep(TICK_SETTLE_MS);
    const before = await filterStats(envoy);
    const rssBefore = rssKiB(envoy.pid);

    const started = Date.now();
    const trace: { s: number; pages?: number; rssKiB?: number; allowed?: number }[] = [];
    const poll = setInterval(() => {
      filterStats(envoy).then(
        (st) => trace.push({ s: round((Date.now() - started) / 1000, 1), pages: st.memoryPages, rssKiB: rssKiB(envoy.pid), allowed: st.requestsAllowed }),
        () => undefined,
      );
    }, (o.pollS ?? 1) * 1000);
    let sample: LoadSample;
    try {
      sample = await measure(envoy.url, { ...load, amount: o.requests });
    } finally {
      clearInterval(poll);
    }
    await sleep(TICK_SETTLE_MS);
    const after = await filterStats(envoy);
    const rssAfter = rssKiB(envoy.pid);
    const activity = delta(before, after);

    const pages = (s: FilterStats) => s.memoryPages;
    const growth = pages(after) !== undefined && pages(before) !== undefined ? pages(after)! - pages(before)! : undefined;
    const flat = growth === undefined ? undefined : growth <= o.tolerancePages;
    // A leak grows with the requests; a one-off step (a table or buffer sized on first use) does
    // not. So also compare the end with the gauge once 10 % of the requests were served.
    const tenth = trace.find((t) =>
      t.allowed !== undefined && before.requestsAllowed !== undefined ? t.allowed - before.requestsAllowed >= o.requests / 10 : t.s >= sample.durationS / 10);
    const lateGrowth = tenth?.pages !== undefined && pages(after) !== undefined ? pages(after)! - tenth.pages : undefined;
    const lateFlat = lateGrowth === undefined ? undefined : lateGrowth <= o.tolerancePages;
    const verdict = flat === undefined ? "n/a: no authrep_wasm.memory.pages gauge"
      : flat ? "flat"
      : lateFlat ? `step of ${growth} early on, then flat (${lateGrowth} over the last 90 %)`
      : "GROWS";
    const peak = Math.max(...[pages(before), pages(after), ...trace.map((t) => t.pages)].filter((x): x is number => x !== undefined));
    const withinBound = bound === undefined || !Number.isFinite(peak) ? undefined : peak <= bound;
    const targetPages = VMS * TARGET_PAGES_PER_VM;
    const stages = [pages(configured), pages(before), pages(after), Number.isFinite(peak) ? peak : undefined];
    const withinTarget = stages.every((p) => p !== undefined) ? stages.every((p) => p! <= targetPages) : undefined;
    const perVm = (p?: number) => (p === undefined ? "n/a" : `${p} (${(p / VMS).toFixed(0)} per VM)`);
    const kib = (x?: number) => (x === undefined ? "n/a" : `${(x / 1024).toFixed(1)} MiB`);
    const rows: Record<string, string | number>[] = [
      { measure: `target: ${o.rules} rules ≤ 8 MiB per VM (${targetPages} pages over ${VMS} VMs)`, "after warm-up": `configured ${perVm(pages(configured))}; warm ${perVm(pages(before))}`,
        [`after ${o.requests} requests`]: perVm(pages(after)), growth: "",
        verdict: withinTarget === undefined ? "n/a" : withinTarget ? "met (configured, warm, end and peak)" : "MISSED" },
      { measure: "wasm memory pages (sum over VMs)", "after warm-up": pages(before) ?? "n/a", [`after ${o.requests} requests`]: pages(after) ?? "n/a",
        growth: growth ?? "n/a", verdict: `${verdict} (tolerance ${o.tolerancePages} pages; peak while running ${Number.isFinite(peak) ? peak : "n/a"})` },
      { measure: "stated bound (docs/design.md §9)", "after warm-up": withinBound === undefined ? "n/a" : `${pages(configured)} configured`,
        [`after ${o.requests} requests`]: bound ?? "n/a", growth: "", verdict: withinBound === undefined ? "n/a" : withinBound ? "peak within the bound" : "PEAK OVER THE BOUND" },
      { measure: "envoy RSS", "after warm-up": kib(rssBefore), [`after ${o.requests} requests`]: kib(rssAfter),
        growth: rssBefore !== undefined && rssAfter !== undefined ? kib(rssAfter - rssBefore) : "n/a", verdict: "(information)" },
      { measure: "load", "after warm-up": "", [`after ${o.requests} requests`]: `${sample.requests} requests, ${Math.round(sample.rps)} req/s`,
        growth: "", verdict: `${sample.failures} failures` },
      { measure: "backend calls / cache", "after warm-up": "", [`after ${o.requests} requests`]:
          `${activity.clusterRequests} calls` + (activity.cacheHits === undefined ? "" : `, ${activity.cacheHits} hits, ${activity.cacheMisses} misses`),
        growth: "", verdict: activity.reportsSent === undefined ? "" :
          `${activity.reportsSent} reports sent` + (activity.all["reports.requests"] === undefined ? "" : ` for ${activity.all["reports.requests"]} requests`) },
    ];
    return {
      title: `Memory over ${o.requests} requests after ${warmupS} s warm-up: ${target.name}, ${o.connections} connections` + (o.cache ? "" : " — CACHE NOT CONFIGURED (--cache off)"),
      rows,
      data: {
        options: { ...o, target: target.name, warmupS },
        sample,
        before: { ...before, rssKiB: rssBefore },
        after: { ...after, rssKiB: rssAfter },
        activity,
        growthPages: growth,
        flat,
        /** pages once configured, the stated bound, and whether the peak stayed within it */
        configuredPages: pages(configured),
        boundPages: bound,
        withinBound,
        /** the 8 MiB per VM target (summed over the VMs) and whether every stage and the peak met it */
        targetPages,
        withinTarget,
        /** pages once 10 % of the requests were served, and the growth from there to the end */
        atTenthPages: tenth?.pages,
        lateGrowthPages: lateGrowth,
        lateFlat,
        trace,
      },
    };
  });
}
