// Section "Envoy overhead": the same load against Envoy without the wasm filter (A) and with
// it (B), both running side by side, measured alternately A/B/A/B so drift and noise hit both.
import { startEnvoy, type RunningEnvoy } from "../tools/envoy/envoy";
import { measure, type LoadOptions, type LoadSample } from "./load";
import type { SectionResult } from "./report";
import type { FilterTarget } from "./targets";
import { spawnUpstream } from "./child-server";

export interface OverheadOptions {
  target: FilterTarget;
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
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

    const load: LoadOptions = { connections: o.connections, durationS: o.durationS, path: o.target.path, headers: o.target.headers };
    for (const envoy of Object.values(variants)) await measure(envoy.url, { ...load, durationS: o.warmupS });
    const samples = { baseline: [] as LoadSample[], filter: [] as LoadSample[] };
    for (let r = 0; r < o.rounds; r++) {
      for (const name of ["baseline", "filter"] as const) samples[name].push(await measure(variants[name].url, load));
    }

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
    return {
      title: `Envoy overhead: ${o.target.name}, ${o.connections} connections, ${o.rounds}×${o.durationS} s per variant`,
      rows: [
        row("envoy, no filter", a),
        row("envoy + filter", b),
        {
          variant: "filter vs none",
          "req/s": `×${round(summary.rpsRatio)}`,
          "p50 ms": `+${round(summary.addedP50Ms)}`,
          "p99 ms": `+${round(summary.addedP99Ms)}`,
          failures: "",
        },
      ],
      data: { options: { ...o, target: o.target.name }, samples, summary: { baseline: a, filter: b, ...summary } },
    };
  } finally {
    for (const stop of stoppers.reverse()) await stop();
  }
}
