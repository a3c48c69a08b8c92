// Section "Envoy overhead": the same load against Envoy without the wasm filter (A) and with
// it (B), both running side by side, measured alternately A/B/A/B so drift and noise hit both.
// The same section with the authorization cache on is "cache warm": several user keys, all
// cached during the warm-up, with targets printed next to the numbers.
import { startEnvoy, type RunningEnvoy } from "../tools/envoy/envoy";
import { measure, type LoadOptions, type LoadSample } from "./load";
import type { SectionResult } from "./report";
import type { FilterTarget } from "./targets";
import { spawnUpstream } from "./child-server";
import { delta, filterStats } from "./envoy-stats";

export interface OverheadOptions {
  target: FilterTarget;
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  /** section name in the title; default "Envoy overhead" */
  label?: string;
  /** printed next to the numbers, with whether this run met them */
  goals?: { minRpsRatio: number; maxAddedP99Ms: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

function summarize(samples: LoadSample[]) {
  return {
    rps: mean(samples.map((s) => s.rps)),
    p50Ms: median(samples.map((s) => s.p50Ms)),
    p99Ms: median(samples.map((s) => s.p99Ms)),
    failures: samples.reduce((n, s) => n + s.failures, 0),
  };
}

export async function envoyOverhead(o: OverheadOptions): Promise<SectionResult> {
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const app = await spawnUpstream();
    stoppers.push(app.stop);
    const backend = await o.target.startBackend();
    stoppers.push(backend.stop);
    // quiet Envoys: no access log, no wasm debug logging, so only the filter's work differs
    const start = async (wasm: boolean): Promise<RunningEnvoy> => {
      const envoy = await startEnvoy({
        componentLogLevel: "",
        bootstrap: {
          appPort: app.port,
          accessLog: false,
          ...(wasm && { clusters: backend.clusters, wasm: { wasmFile: o.target.wasmFile, configuration: o.target.configuration } }),
        },
      });
      stoppers.push(envoy.stop);
      return envoy;
    };
    const variants = { baseline: await start(false), filter: await start(true) };

    const load: LoadOptions = {
      connections: o.connections, durationS: o.durationS, path: o.target.path, headers: o.target.headers, paths: o.target.paths,
    };
    for (const envoy of Object.values(variants)) await measure(envoy.url, { ...load, durationS: o.warmupS });
    const samples = { baseline: [] as LoadSample[], filter: [] as LoadSample[] };
    // what the filter did during the measured rounds: backend calls, cache hits and misses
    const statsBefore = await filterStats(variants.filter);
    for (let r = 0; r < o.rounds; r++) {
      for (const name of ["baseline", "filter"] as const) samples[name].push(await measure(variants[name].url, load));
    }
    const filterActivity = delta(statsBefore, await filterStats(variants.filter));

    const a = summarize(samples.baseline);
    const b = summarize(samples.filter);
    const summary = { rpsRatio: b.rps / a.rps, addedP50Ms: b.p50Ms - a.p50Ms, addedP99Ms: b.p99Ms - a.p99Ms };
    const row = (variant: string, s: ReturnType<typeof summarize>) => ({
      variant,
      "req/s": Math.round(s.rps),
      "p50 ms": round(s.p50Ms),
      "p99 ms": round(s.p99Ms),
      failures: s.failures,
    });
    const signed = (x: number) => `${x < 0 ? "" : "+"}${round(x)}`;
    const rows: Record<string, string | number>[] = [
      row("envoy, no filter", a),
      row("envoy + filter", b),
      {
        variant: "filter vs none",
        "req/s": `×${round(summary.rpsRatio)}`,
        "p50 ms": signed(summary.addedP50Ms),
        "p99 ms": signed(summary.addedP99Ms),
        failures: "",
      },
    ];
    let goals: { rpsRatioMet: boolean; addedP99Met: boolean } | undefined;
    if (o.goals) {
      goals = { rpsRatioMet: summary.rpsRatio >= o.goals.minRpsRatio, addedP99Met: summary.addedP99Ms <= o.goals.maxAddedP99Ms };
      const mark = (met: boolean) => (met ? "met" : "MISSED");
      rows.push(
        { variant: "target", "req/s": `≥ ×${o.goals.minRpsRatio}`, "p50 ms": "", "p99 ms": `≤ +${o.goals.maxAddedP99Ms}`, failures: "" },
        { variant: "this run", "req/s": mark(goals.rpsRatioMet), "p50 ms": "", "p99 ms": mark(goals.addedP99Met), failures: "" },
      );
    }
    const calls = filterActivity.clusterRequests;
    const filterRequests = samples.filter.reduce((n, s) => n + s.requests, 0);
    const hits = filterActivity.cacheHits === undefined ? "" : `, cache hits ${filterActivity.cacheHits}, misses ${filterActivity.cacheMisses}`;
    return {
      title:
        `${o.label ?? "Envoy overhead"}: ${o.target.name}, ${o.connections} connections, ${o.rounds}×${o.durationS} s per variant` +
        ` (backend calls while measured: ${calls} for ${filterRequests} requests${hits})`,
      rows,
      data: {
        options: { ...o, target: o.target.name, paths: o.target.paths ?? [o.target.path] },
        samples,
        summary: { baseline: a, filter: b, ...summary },
        filterActivity,
        ...(goals && { goals: { ...o.goals, ...goals } }),
      },
    };
  } finally {
    for (const stop of stoppers.reverse()) await stop();
  }
}
