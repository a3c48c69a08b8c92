// The numbers the cache sections read from a running Envoy: the module's own metrics (shown as
// `wasmcustom.authrep_wasm.*` or `authrep_wasm.*` in admin /stats, both accepted), the backend
// cluster's request counter (independent of the module), the Envoy process's RSS, and the
// simulator's request log.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { moduleStats, type RunningEnvoy } from "../tools/envoy/envoy";
import { BACKEND_CLUSTER } from "./targets";

export interface FilterStats {
  /** module counter authrep_wasm.backend.calls (undefined when the module does not define it) */
  backendCalls?: number;
  cacheHits?: number;
  cacheMisses?: number;
  reportsSent?: number;
  requestsAllowed?: number;
  /** gauge authrep_wasm.memory.pages, summed over the VMs */
  memoryPages?: number;
  /** Envoy's own count of requests to the backend cluster */
  clusterRequests: number;
  /** every authrep_wasm.* stat, without the prefix (cache.coalesced, reports.requests, …) */
  all: Record<string, number>;
}

export async function filterStats(envoy: RunningEnvoy): Promise<FilterStats> {
  const m = await moduleStats(envoy);
  const cluster = await envoy.stats("upstream_rq_total$");
  return {
    backendCalls: m["backend.calls"],
    cacheHits: m["cache.hits"],
    cacheMisses: m["cache.misses"],
    reportsSent: m["reports.calls"],
    requestsAllowed: m["requests.allowed"],
    memoryPages: m["memory.pages"],
    clusterRequests: cluster[`cluster.${BACKEND_CLUSTER}.upstream_rq_total`] ?? 0,
    all: m,
  };
}

type Counters = Omit<FilterStats, "memoryPages" | "all"> & { all: Record<string, number> };

/** after − before for each counter (`all`: every module stat, gauges included); undefined when either side lacks it */
export function delta(before: FilterStats, after: FilterStats): Counters {
  type K = Exclude<keyof Counters, "all">;
  const d = (k: K) => (before[k] === undefined || after[k] === undefined ? undefined : after[k]! - before[k]!);
  const all: Record<string, number> = {};
  for (const [name, value] of Object.entries(after.all)) all[name] = value - (before.all[name] ?? 0);
  return {
    all,
    backendCalls: d("backendCalls"),
    cacheHits: d("cacheHits"),
    cacheMisses: d("cacheMisses"),
    reportsSent: d("reportsSent"),
    requestsAllowed: d("requestsAllowed"),
    clusterRequests: d("clusterRequests")!,
  };
}

/** resident set size of a process in KiB (Linux /proc), undefined elsewhere */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The simulator's request log, through its /__sim/ control API. */
export const simLog = {
  clear: async (simUrl: string) => void (await fetch(`${simUrl}/__sim/requests`, { method: "DELETE" })),
  /** backend calls since the last clear, by kind; `complete` false when the log (10,000 entries) overflowed */
  count: async (simUrl: string) => {
    const log = (await (await fetch(`${simUrl}/__sim/requests`)).json()) as { seq: number; pathname: string; status?: number }[];
    const by = (re: RegExp) => log.filter((r) => re.test(r.pathname)).length;
    return {
      logged: log.length,
      authrep: by(/\/transactions\/(oauth_)?authrep\.xml$/),
      authorize: by(/\/transactions\/(oauth_)?authorize\.xml$/),
      report: by(/^\/transactions\.xml$/),
      non2xx: log.filter((r) => r.status !== undefined && (r.status < 200 || r.status > 299)).length,
      complete: log.length < 10_000,
    };
  },
};

function cpuTimes(): { idle: number; total: number } | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: fields[3] + (fields[4] ?? 0), total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** share of all CPUs busy over the next `ms` (Linux /proc/stat), undefined elsewhere */
export async function cpuBusy(ms: number): Promise<number | undefined> {
  const a = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  if (!a || !b || b.total === a.total) return undefined;
  return Number((1 - (b.idle - a.idle) / (b.total - a.total)).toFixed(3));
}

// USER_HZ: 100 on Linux in practice, asked once rather than assumed
const CLOCK_TICKS_PER_S = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/** CPU time a process (all its threads) has used, µs, from utime + stime in /proc/<pid>/stat */
export function processCpuMicros(pid: number): number {
  // the fields after the command name, which is in parentheses and may hold spaces
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(")").pop()!.trim().split(" ");
  // fields 14 and 15 of proc(5), counted from the pid, in clock ticks (USER_HZ, 100 on Linux)
  return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / CLOCK_TICKS_PER_S);
}

/** busy and total time of one CPU (`cpuN` of /proc/stat) so far, µs, to see what else ran on it */
export function cpuMicros(cpu: number): { busyUs: number; totalUs: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n").find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) throw new Error(`no cpu${cpu} in /proc/stat`);
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const us = 1_000_000 / CLOCK_TICKS_PER_S;
  return { busyUs: (total - f[3] - (f[4] ?? 0)) * us, totalUs: total * us };
}
