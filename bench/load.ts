// One load measurement with autocannon against a loopback URL. Latencies are collected from
// the per-response event: autocannon's own histogram has 1 ms resolution, too coarse here.
import autocannon from "autocannon";

export interface LoadOptions {
  connections: number;
  /** seconds; ignored when `amount` is set */
  durationS: number;
  path: string;
  headers: Record<string, string>;
  /** several paths (e.g. distinct credentials): each connection cycles through them instead of `path` */
  paths?: string[];
  /** send exactly this many requests (as fast as possible, or at `rate`), then stop */
  amount?: number;
  /** fixed request rate over all connections, req/s (autocannon `overallRate`) */
  rate?: number;
}

export interface LoadSample {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** non-2xx responses + errors + timeouts; anything > 0 makes the sample suspect */
  failures: number;
  /** the failures by kind */
  non2xx: number;
  errors: number;
  timeouts: number;
  /** wall time of the run, s */
  durationS: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

export async function measure(baseUrl: string, o: LoadOptions): Promise<LoadSample> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: baseUrl + o.path,
    connections: o.connections,
    ...(o.amount !== undefined ? { amount: o.amount } : { duration: o.durationS }),
    ...(o.rate !== undefined && { overallRate: o.rate }),
    headers: o.headers,
    ...(o.paths?.length && { requests: o.paths.map((path) => ({ method: "GET", path })) }),
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    failures: result.non2xx + result.errors + result.timeouts,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
  };
}
