// One load measurement with autocannon against a loopback URL. Latencies are collected from
// the per-response event: autocannon's own histogram has 1 ms resolution, too coarse here.
import autocannon from "autocannon";

export interface LoadOptions {
  connections: number;
  durationS: number;
  path: string;
  headers: Record<string, string>;
}

export interface LoadSample {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** non-2xx responses + errors + timeouts; anything > 0 makes the sample suspect */
  failures: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

export async function measure(baseUrl: string, o: LoadOptions): Promise<LoadSample> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: baseUrl + o.path,
    connections: o.connections,
    duration: o.durationS,
    headers: o.headers,
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
  };
}
