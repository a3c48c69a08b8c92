// Section "pinned": how much CPU each filter adds to Envoy, measured where Envoy is the
// bottleneck. One Envoy with one worker pinned to CPU 0, wrk pinned to CPU 1, the upstream and
// the 3scale backend answered by that Envoy itself; one listener per variant, the variants
// measured one at a time, alternated in rounds; Envoy's CPU time per request from /proc over
// each window, medians over the rounds. The multi-worker sections answer another question: how
// many requests per second a shared 2-core box serves.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { WasmFilterOptions } from "../tools/envoy/bootstrap";
import { repoRoot } from "../tools/envoy/locate";
import { cpuMicros, processCpuMicros } from "./envoy-stats";
import { backendClusterOf, startPinnedEnvoy, type PinnedEnvoy } from "./pinned-envoy";
import type { SectionResult } from "./report";
import { authrepConfiguration, targets, type CacheConfig } from "./targets";
import { locateWrk, rotatingKeysScript, runWrk, type WrkSample } from "./wrk";

export interface PinnedOptions {
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  /** CPU for Envoy (all its threads) and for wrk; default 0 and 1 */
  envoyCpu?: number;
  wrkCpu?: number;
}

/** what the issue asks of the module, in Envoy CPU µs per request */
export const PINNED_TARGETS = {
  /** cache warm: at most the no-op filter's CPU + this */
  cacheAboveNoopUs: 12,
  /** authrep per request: the CPU it adds over no filter at most this share of what the reference adds */
  authrepShareOfReference: 0.6,
};

// Every request a hit once warm: the TTL outlasts the run. Reports still go out every 10 s,
// part of the steady-state cost.
const PINNED_CACHE: CacheConfig = { authorization_ttl: 3600, report_interval: 10, max_entries: 10000 };
const KEYS = 1000;
const PATH = "/products/1?user_key=bench-user-key";

type Kind = "none" | "noop" | "call" | "authrep" | "cache" | "reference";

interface Variant {
  id: string;
  label: string;
  kind: Kind;
  wasm?: WasmFilterOptions;
  /** wrk script rotating user keys; absent: every request is GET PATH */
  script?: string;
}

export interface PinnedSample extends WrkSample {
  /** requests Envoy completed on the variant's listener in the window, and those answered 2xx */
  served: number;
  served2xx: number;
  /** Envoy's CPU time (all threads) over the window per request served, µs */
  cpuUsPerRequest: number;
  /** Envoy's CPU time / wall time: ~1 when Envoy is the bottleneck */
  envoyBusy: number;
  /** share of Envoy's CPU taken by other processes over the window */
  othersOnEnvoyCpu: number;
  /** authrep / report calls to the backend cluster per request served */
  backendCallsPerRequest: number;
}

/** the reference module: $REFERENCE_WASM, else ../shared/reference beside the repository */
export function referenceWasm(): string {
  return process.env.REFERENCE_WASM ?? resolve(repoRoot, "../shared/reference/threescale_wasm_auth.wasm");
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const signed = (x: number) => `${x < 0 ? "" : "+"}${round(x)}`;

async function variants(keysScript: string): Promise<{ list: Variant[]; referenceNote?: string }> {
  const noop = await targets.noop();
  const ours = resolve(repoRoot, "build/authrep.wasm");
  const wasm = (id: string, wasmFile: string, configuration: string): WasmFilterOptions => ({ wasmFile, configuration, vmId: id, name: id });
  // the demo configuration, calling the backend through the variant's own cluster
  const config = (id: string, cache?: CacheConfig) => {
    const c = JSON.parse(authrepConfiguration(cache)) as { backend: { upstream: { name: string } } };
    c.backend.upstream.name = backendClusterOf(id);
    return JSON.stringify(c);
  };
  const list: Variant[] = [
    { id: "none", label: "no filter", kind: "none" },
    { id: "noop", label: "no-op wasm filter", kind: "noop", wasm: wasm("noop", noop.wasmFile, noop.configuration) },
    // the floor of any filter that asks a backend per request: one call, answered, nothing read
    { id: "call", label: "no-op wasm filter + 1 backend call", kind: "call", wasm: wasm("call", noop.wasmFile, `relay ${backendClusterOf("call")} 5000`) },
    { id: "authrep", label: "ours, authrep per request", kind: "authrep", wasm: wasm("authrep", ours, config("authrep")) },
    { id: "cache1", label: "ours, cache warm, 1 key", kind: "cache", wasm: wasm("cache1", ours, config("cache1", PINNED_CACHE)) },
    {
      id: "cache1000", label: `ours, cache warm, ${KEYS.toLocaleString("en")} keys`, kind: "cache",
      wasm: wasm("cache1000", ours, config("cache1000", PINNED_CACHE)), script: keysScript,
    },
  ];
  const reference = referenceWasm();
  if (existsSync(reference)) {
    // api v1 and no cache fields: the demo configuration as it is
    list.push({ id: "reference", label: "reference (3scale Rust), authrep per request", kind: "reference", wasm: wasm("reference", reference, config("reference")) });
    return { list };
  }
  const missing = `reference module not found at ${reference} (set REFERENCE_WASM)`;
  if (process.env.CI === "true") throw new Error(`${missing}: required under CI`);
  return { list, referenceNote: `${missing}: its variant is skipped` };
}

async function listenerCounts(p: PinnedEnvoy, id: string): Promise<{ completed: number; ok: number; backend: number }> {
  const prefix = `listener.${id}.http.ingress.`;
  const cluster = backendClusterOf(id);
  const stats = await p.envoy.stats(`^listener\\.${id}\\.http\\.ingress\\.downstream_rq_|^cluster\\.${cluster}\\.upstream_rq_total$`);
  return {
    completed: stats[`${prefix}downstream_rq_completed`] ?? 0,
    ok: stats[`${prefix}downstream_rq_2xx`] ?? 0,
    backend: stats[`cluster.${cluster}.upstream_rq_total`] ?? 0,
  };
}

/** one window of load on one variant; admin reads stay outside the CPU window */
async function measure(p: PinnedEnvoy, v: Variant, o: Required<PinnedOptions>, durationS: number): Promise<PinnedSample> {
  const port = p.ports[v.id];
  const before = await listenerCounts(p, v.id);
  const cpu0 = processCpuMicros(p.envoy.pid);
  const cpuAll0 = cpuMicros(o.envoyCpu);
  const t0 = performance.now();
  const load = await runWrk({ url: `http://127.0.0.1:${port}${PATH}`, connections: o.connections, durationS, cpu: o.wrkCpu, script: v.script });
  const wallUs = (performance.now() - t0) * 1000;
  const envoyUs = processCpuMicros(p.envoy.pid) - cpu0;
  const cpuAll1 = cpuMicros(o.envoyCpu);
  const after = await listenerCounts(p, v.id);
  const served = after.completed - before.completed;
  const othersUs = cpuAll1.busyUs - cpuAll0.busyUs - envoyUs;
  return {
    ...load,
    served,
    served2xx: after.ok - before.ok,
    cpuUsPerRequest: served ? envoyUs / served : NaN,
    envoyBusy: envoyUs / wallUs,
    othersOnEnvoyCpu: Math.max(0, othersUs) / (cpuAll1.totalUs - cpuAll0.totalUs),
    backendCallsPerRequest: served ? (after.backend - before.backend) / served : NaN,
  };
}

/** a request without credentials and one with: filtering variants must deny the first, all must allow the second */
async function probe(p: PinnedEnvoy, v: Variant): Promise<{ withoutKey: number; withKey: number }> {
  const url = `http://127.0.0.1:${p.ports[v.id]}`;
  const status = async (path: string) => (await fetch(url + path)).status;
  const result = { withoutKey: await status("/products/1"), withKey: await status(PATH) };
  const filters = v.kind !== "none" && v.kind !== "noop" && v.kind !== "call";
  if (result.withKey !== 200 || (filters && result.withoutKey < 400) || (!filters && result.withoutKey !== 200)) {
    throw new Error(`pinned: variant ${v.id} answered ${JSON.stringify(result)}; expected 200 with a key and ${filters ? "a denial" : "200"} without`);
  }
  return result;
}

export async function pinnedCpu(options: PinnedOptions): Promise<SectionResult> {
  const o: Required<PinnedOptions> = { envoyCpu: 0, wrkCpu: 1, ...options };
  if (!locateWrk()) throw new Error("wrk not found; run scripts/ensure-wrk.sh (apt-get install wrk)");
  const dir = mkdtempSync(join(tmpdir(), "pinned-"));
  let envoy: PinnedEnvoy | undefined;
  try {
    const { list, referenceNote } = await variants(rotatingKeysScript(dir, "/products/1?user_key=", "pinned-key-", KEYS));
    if (referenceNote) console.warn(`\npinned: ${referenceNote}`);
    envoy = await startPinnedEnvoy(list, o.envoyCpu);
    const probes: Record<string, { withoutKey: number; withKey: number }> = {};
    for (const v of list) probes[v.id] = await probe(envoy, v);
    // what Envoy burns with no traffic (stats flushes, timers): part of every window alike
    const idle0 = processCpuMicros(envoy.envoy.pid);
    await new Promise((r) => setTimeout(r, 2000));
    const idleUsPerS = (processCpuMicros(envoy.envoy.pid) - idle0) / 2;
    // warm-up: V8 tiers up, connections pool, the caches fill (all 1,000 keys)
    for (const v of list) await measure(envoy, v, o, o.warmupS);
    const samples: Record<string, PinnedSample[]> = Object.fromEntries(list.map((v) => [v.id, []]));
    for (let r = 0; r < o.rounds; r++) {
      // each round starts one variant later, so no variant always follows the same one
      for (let i = 0; i < list.length; i++) {
        const v = list[(i + r) % list.length];
        samples[v.id].push(await measure(envoy, v, o, o.durationS));
      }
    }
    return report(list, samples, probes, idleUsPerS, o, referenceNote);
  } finally {
    await envoy?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  list: Variant[], samples: Record<string, PinnedSample[]>, probes: object, idleUsPerS: number, o: Required<PinnedOptions>, referenceNote?: string,
): SectionResult {
  const med = (id: string, k: keyof PinnedSample) => median(samples[id].map((s) => s[k]));
  const summary = Object.fromEntries(
    list.map((v) => [v.id, {
      rps: med(v.id, "rps"),
      cpuUsPerRequest: med(v.id, "cpuUsPerRequest"),
      p50Ms: med(v.id, "p50Ms"),
      p99Ms: med(v.id, "p99Ms"),
      envoyBusy: med(v.id, "envoyBusy"),
      othersOnEnvoyCpu: med(v.id, "othersOnEnvoyCpu"),
      backendCallsPerRequest: med(v.id, "backendCallsPerRequest"),
      served: samples[v.id].reduce((n, s) => n + s.served, 0),
      served2xx: samples[v.id].reduce((n, s) => n + s.served2xx, 0),
      non2xx: samples[v.id].reduce((n, s) => n + s.non2xx, 0),
      socketErrors: samples[v.id].reduce((n, s) => n + s.socketErrors, 0),
    }]),
  );
  const none = summary.none;
  const noop = summary.noop;
  const added = (id: string) => summary[id].cpuUsPerRequest - none.cpuUsPerRequest;
  const reference = summary.reference;

  const goals: Record<string, { target: string; met: boolean | null }> = {};
  for (const v of list) {
    if (v.kind === "cache") {
      const above = summary[v.id].cpuUsPerRequest - noop.cpuUsPerRequest;
      goals[v.id] = { target: `≤ no-op + ${PINNED_TARGETS.cacheAboveNoopUs} µs`, met: above <= PINNED_TARGETS.cacheAboveNoopUs };
    } else if (v.kind === "authrep") {
      const limit = reference ? PINNED_TARGETS.authrepShareOfReference * added("reference") : NaN;
      goals[v.id] = reference
        ? { target: `added ≤ ${PINNED_TARGETS.authrepShareOfReference} × reference's (${round(limit)} µs)`, met: added(v.id) <= limit }
        : { target: `added ≤ ${PINNED_TARGETS.authrepShareOfReference} × reference's`, met: null };
    }
  }
  const verdict = (g?: { met: boolean | null }) => (!g ? "" : g.met === null ? "no reference" : g.met ? "met" : "NOT MET");
  const rows = list.map((v) => {
    const s = summary[v.id];
    return {
      variant: v.label,
      "req/s": Math.round(s.rps),
      "× no filter": `×${(s.rps / none.rps).toFixed(2)}`,
      "CPU µs/req": round(s.cpuUsPerRequest),
      "vs no filter": v.kind === "none" ? "" : signed(added(v.id)),
      "vs no-op": v.kind === "none" || v.kind === "noop" ? "" : signed(s.cpuUsPerRequest - noop.cpuUsPerRequest),
      "vs 1-call floor": v.kind === "authrep" || v.kind === "reference" ? signed(s.cpuUsPerRequest - summary.call.cpuUsPerRequest) : "",
      "backend/req": round(s.backendCallsPerRequest, 3),
      "envoy busy": `${Math.round(s.envoyBusy * 100)} %`,
      target: goals[v.id]?.target ?? "",
      "this run": verdict(goals[v.id]),
    };
  });
  const others = Math.max(...list.map((v) => summary[v.id].othersOnEnvoyCpu));
  return {
    title:
      `Pinned: Envoy CPU per request, 1 worker on CPU ${o.envoyCpu}, wrk on CPU ${o.wrkCpu} (${o.connections} connections), ` +
      `${o.rounds}×${o.durationS} s per variant, medians (Envoy idle ${round(idleUsPerS / 1000)} ms CPU/s; ` +
      `other processes took up to ${Math.round(others * 100)} % of CPU ${o.envoyCpu})` +
      (referenceNote ? `\n${referenceNote}` : ""),
    rows,
    data: {
      options: { ...o, keys: KEYS, cache: PINNED_CACHE, path: PATH, targets: PINNED_TARGETS },
      variants: list.map((v) => ({ id: v.id, label: v.label, kind: v.kind, wasmFile: v.wasm?.wasmFile ?? null })),
      ...(referenceNote && { referenceNote }),
      probes,
      idleUsPerS,
      samples,
      summary,
      goals,
      // what the module itself adds to an authrep, above the floor of one backend call per request
      authrepAboveCallFloor: reference
        ? { ours: summary.authrep.cpuUsPerRequest - summary.call.cpuUsPerRequest, reference: reference.cpuUsPerRequest - summary.call.cpuUsPerRequest }
        : null,
    },
  };
}
