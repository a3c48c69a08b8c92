// Custom metrics (proxy_define_metric), all named `authrep_wasm.*`. Ids are per VM instance, so
// every instance defines them from on_configure (top-level code may not call the host, spec
// §2.4); Envoy hands back the same stat for a name defined again and sums it over workers.
// The request path only increments ids resolved here once: no string is built per request.
import { MetricType } from "../abi/enums";
import * as host from "../abi/host";
import { Decision, Outcome } from "../pipeline/reply";
import { sanitize } from "../text/status";

const PREFIX = "authrep_wasm.";

/**
 * `requests.denied.<reason>`: each reason, then the local-reply details it covers. Details
 * starting with DENIED_BY_BACKEND carry the backend's status and count as `auth_failed`;
 * details not listed count as `other`, so the request counters always add up.
 */
const REASONS: string[][] = [
  ["not_configured", "authrep_not_configured"],
  ["config_incomplete", "authrep_no_services", "authrep_no_backend", "authrep_no_service_token"],
  ["bad_request", "authrep_missing_pseudo_header", "authrep_bad_url"],
  ["unknown_service", "authrep_unknown_service"],
  ["credentials_missing", "authrep_credentials_missing"],
  ["no_mapping_rule", "authrep_no_mapping_rule"],
  ["limits_exceeded", "authrep_limits_exceeded"],
  ["backend_unavailable", "authrep_backend_unavailable", "authrep_dispatch_failed"],
];
const DENIED_BY_BACKEND = "authrep_denied_";

let defined = false;
const deniedByDetails = new Map<string, u32>();
let allowed: u32 = 0;
let authFailed: u32 = 0;
let deniedOther: u32 = 0;
let backendCalls: u32 = 0;
let backendFailures: u32 = 0;
let status2xx: u32 = 0;
let status4xx: u32 = 0;
let status5xx: u32 = 0;
let statusInvalid: u32 = 0;
let latencyMs: u32 = 0;
let configAccepted: u32 = 0;
let configRejected: u32 = 0;
let cacheHits: u32 = 0;
let cacheMisses: u32 = 0;
let cacheCoalesced: u32 = 0;
let cacheTableFull: u32 = 0;
let staleServed: u32 = 0;
let failOpen: u32 = 0;
let unreported: u32 = 0;
let reportCalls: u32 = 0;
let reportFailures: u32 = 0;
let reportedRequests: u32 = 0;
let droppedRequests: u32 = 0;
let batchSize: u32 = 0;
let fetches: u32 = 0;
let fetchFailures: u32 = 0;
let memoryPages: u32 = 0;
/** this VM's pages already added to the gauge (the gauge sums all VMs) */
let pagesRecorded: i64 = 0;

function counter(name: string): u32 {
  return host.defineMetric(MetricType.Counter, PREFIX + name);
}

/** once per VM instance; later calls (reconfigurations) keep the ids */
export function defineMetrics(): void {
  if (defined) return;
  defined = true;
  allowed = counter("requests.allowed");
  for (let i = 0; i < REASONS.length; i++) {
    const reason = REASONS[i];
    const id = counter("requests.denied." + reason[0]);
    for (let j = 1; j < reason.length; j++) deniedByDetails.set(reason[j], id);
  }
  authFailed = counter("requests.denied.auth_failed");
  deniedOther = counter("requests.denied.other");
  backendCalls = counter("backend.calls");
  backendFailures = counter("backend.failures");
  status2xx = counter("backend.status.2xx");
  status4xx = counter("backend.status.4xx");
  status5xx = counter("backend.status.5xx");
  statusInvalid = counter("backend.status.invalid");
  latencyMs = host.defineMetric(MetricType.Histogram, PREFIX + "backend.latency_ms");
  configAccepted = counter("config.accepted");
  configRejected = counter("config.rejected");
  cacheHits = counter("cache.hits");
  cacheMisses = counter("cache.misses");
  cacheCoalesced = counter("cache.coalesced");
  cacheTableFull = counter("cache.table_full");
  staleServed = counter("failure_policy.stale_served");
  failOpen = counter("failure_policy.opened");
  unreported = counter("usage.unreported");
  reportCalls = counter("reports.calls");
  reportFailures = counter("reports.failures");
  reportedRequests = counter("reports.requests");
  droppedRequests = counter("reports.dropped_requests");
  batchSize = host.defineMetric(MetricType.Histogram, PREFIX + "reports.batch_size");
  fetches = counter("system.fetches");
  fetchFailures = counter("system.fetch_failures");
  memoryPages = host.defineMetric(MetricType.Gauge, PREFIX + "memory.pages");
}

/** Envoy refuses counter deltas <= 0 and unknown ids (0 when a definition failed) with a status, never a trap */
function bump(id: u32): void {
  host.incrementMetric(id, 1);
}

export function countConfiguration(accepted: bool): void {
  bump(accepted ? configAccepted : configRejected);
}

/** the decision a stream ends with (Authrep decisions are counted when the answer is applied) */
export function countDecision(d: Decision): void {
  if (d.outcome != Outcome.Reply) bump(allowed);
  else if (deniedByDetails.has(d.details)) bump(deniedByDetails.get(d.details));
  else bump(d.details.startsWith(DENIED_BY_BACKEND) ? authFailed : deniedOther);
}

/** every authrep dispatch, including those the host refuses */
export function countBackendCall(): void {
  bump(backendCalls);
}

/** dispatch refused by the host, or a call that ended without an answer */
export function countBackendFailure(): void {
  bump(backendFailures);
}

/** a call's callback: status null = no answer; latency from sentNs on the host's clock */
export function countBackendAnswer(status: string | null, sentNs: u64): void {
  const now = host.nowNanoseconds();
  // the host clock is wall time: a step backwards records 0, not a wrapped u64
  host.recordMetric(latencyMs, now > sentNs ? (now - sentNs) / 1_000_000 : 0);
  if (status == null) countBackendFailure();
  else bump(statusClass(status));
}

function statusClass(status: string): u32 {
  if (status.length != 3 || sanitize(status) != status) return statusInvalid;
  const first = status.charCodeAt(0);
  return first == 0x32 ? status2xx : first == 0x34 ? status4xx : first == 0x35 ? status5xx : statusInvalid;
}

export function countCacheHit(): void { bump(cacheHits); }
export function countCacheMiss(): void { bump(cacheMisses); }
/** a request that waited on another request's authrep */
export function countCoalesced(): void { bump(cacheCoalesced); }
/** the usage table could not take a request: it was authorized synchronously instead */
export function countTableFull(): void { bump(cacheTableFull); }
export function countStaleServed(): void { bump(staleServed); }
export function countFailOpen(): void { bump(failOpen); }
/** let through by the failure policy with no usage table to record it in */
export function countUnreported(): void { bump(unreported); }
export function countReportCall(): void { bump(reportCalls); }
/** a report not delivered (its usage is retried) */
export function countReportFailure(): void { bump(reportFailures); }

/** a delivered report of `requests` requests */
export function countReport(requests: i64): void {
  if (requests > 0) host.incrementMetric(reportedRequests, requests);
  host.recordMetric(batchSize, <u64>max(requests, 0));
}

export function countReportDropped(requests: i64): void {
  if (requests > 0) host.incrementMetric(droppedRequests, requests);
}

/** a finished system fetch (failed: refused, no answer, or a document that was not usable) */
export function countFetch(ok: bool): void {
  bump(fetches);
  if (!ok) bump(fetchFailures);
}

/** adds this VM's change in linear memory (64 KiB pages) since the last tick to the gauge */
export function recordMemoryPages(): void {
  const pages = <i64>memory.size();
  if (pages == pagesRecorded) return;
  host.incrementMetric(memoryPages, pages - pagesRecorded);
  pagesRecorded = pages;
}
