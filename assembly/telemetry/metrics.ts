// Custom metrics (proxy_define_metric), all named `authrep_wasm.*`. Ids are per VM instance, so
// every instance defines them from on_configure (top-level code may not call the host, spec
// §2.4); Envoy hands back the same stat for a name defined again and sums it over workers.
// The request path only increments ids resolved here once: no string is built per request.
// Each of the first MAX_SERVICES_WITH_METRICS services of a configuration also has its own
// `service.<id>.…` copies of the request and backend-status counters (Envoy's stats_tags turn
// the id into a label); a denial before the service is selected only counts globally.
import { Config, Service } from "../config/types";
import { Decision, Outcome } from "../pipeline/reply";
import { sanitize } from "../text/status";
import { statSegment } from "./stat_name";

const PREFIX = "authrep_wasm.";

/** the kinds of metric (the ABI's MetricType values) */
export enum MetricKind { Counter = 0, Gauge = 1, Histogram = 2 }

/**
 * Where metrics go: filter/ installs the host's (proxy_define_metric and friends); without one
 * (unit tests) they go nowhere. Envoy refuses counter deltas <= 0 and unknown ids (0 when a
 * definition failed) with a status, never a trap.
 */
export class MetricSink {
  /** the metric's id, 0 when refused */
  define(kind: MetricKind, name: string): u32 { return 0; }
  increment(id: u32, delta: i64): void {}
  record(id: u32, value: u64): void {}
}

let sink = new MetricSink();

export function setMetricSink(s: MetricSink): void {
  sink = s;
}

/**
 * `requests.denied.<reason>`: each reason, then the local-reply details it covers. Details
 * starting with DENIED_BY_BACKEND carry the backend's status and count as `auth_failed`;
 * details not listed count as `other`, so the request counters always add up.
 */
const REASONS: string[][] = [
  ["auth_failed"],
  ["other"],
  ["not_configured", "authrep_not_configured"],
  ["config_incomplete", "authrep_no_services", "authrep_no_backend", "authrep_no_service_token"],
  ["bad_request", "authrep_missing_pseudo_header", "authrep_bad_url", "authrep_invalid_passthrough_value"],
  ["unknown_service", "authrep_unknown_service"],
  ["credentials_missing", "authrep_credentials_missing"],
  ["no_mapping_rule", "authrep_no_mapping_rule"],
  ["credentials_too_large", "authrep_credential_too_large"],
  ["query_too_large", "authrep_query_too_large"],
  ["limits_exceeded", "authrep_limits_exceeded"],
  ["backend_unavailable", "authrep_backend_unavailable", "authrep_dispatch_failed"],
];
const DENIED_BY_BACKEND = "authrep_denied_";
const AUTH_FAILED = 0;
const OTHER = 1;
/** reasons that only happen before a service is selected: no per-service counter */
const BEFORE_SERVICE = ["not_configured", "unknown_service"];
/** `backend.status.<class>`, in Counter order from Status2xx */
const STATUS_CLASSES = ["2xx", "4xx", "5xx", "invalid"];
const STATUS_INVALID = 3;

/** services of one configuration with their own counters: bounds the number of series */
export const MAX_SERVICES_WITH_METRICS = 100;

/** counters counted with `count`, named in COUNTER_NAMES in the same order */
export const enum Counter {
  Allowed,
  BackendCalls, BackendFailures, Status2xx, Status4xx, Status5xx, StatusInvalid,
  ConfigAccepted, ConfigRejected,
  /** answered from the cache */
  CacheHits, CacheMisses,
  /** a request that waited on another request's authrep */
  CacheCoalesced,
  /** the usage table could not take a request: it was authorized synchronously instead */
  CacheTableFull,
  StaleServed, FailOpen,
  /** let through by the failure policy with no usage table to record it in */
  Unreported,
  ReportCalls,
  /** a report not delivered (its usage is retried) */
  ReportFailures,
  ReportedRequests, DroppedRequests, Fetches, FetchFailures,
  /** how many there are */
  Count,
}
const COUNTER_NAMES: string[] = [
  "requests.allowed",
  "backend.calls", "backend.failures", "backend.status.2xx", "backend.status.4xx", "backend.status.5xx", "backend.status.invalid",
  "config.accepted", "config.rejected",
  "cache.hits", "cache.misses", "cache.coalesced", "cache.table_full",
  "failure_policy.stale_served", "failure_policy.opened", "usage.unreported",
  "reports.calls", "reports.failures", "reports.requests", "reports.dropped_requests",
  "system.fetches", "system.fetch_failures",
];

let defined = false;
/** metric ids by Counter (sized by the enum: a name missing from the list leaves id 0, never an out-of-bounds trap) */
const counters = new StaticArray<u32>(Counter.Count);
/** `requests.denied.<reason>` ids by REASONS index */
const denied = new StaticArray<u32>(REASONS.length);
/** local-reply details → REASONS index */
const reasonByDetails = new Map<string, i32>();
/** per-service counters by Service.metricSlot; a slot per stat segment, kept over reconfigurations */
const perService = new Array<ServiceCounters>();
const slotBySegment = new Map<string, i32>();
let latencyMs: u32 = 0;
let batchSize: u32 = 0;
let memoryPages: u32 = 0;
/** this VM's pages already added to the gauge (the gauge sums all VMs) */
let pagesRecorded: i64 = 0;

function define(kind: MetricKind, name: string): u32 {
  return sink.define(kind, PREFIX + name);
}

/** once per VM instance; later calls (reconfigurations) keep the ids */
export function defineMetrics(): void {
  if (defined) return;
  defined = true;
  for (let i = 0; i < min(COUNTER_NAMES.length, <i32>Counter.Count); i++) counters[i] = define(MetricKind.Counter, COUNTER_NAMES[i]);
  for (let i = 0; i < REASONS.length; i++) {
    const reason = REASONS[i];
    denied[i] = define(MetricKind.Counter, "requests.denied." + reason[0]);
    for (let j = 1; j < reason.length; j++) reasonByDetails.set(reason[j], i);
  }
  latencyMs = define(MetricKind.Histogram, "backend.latency_ms");
  batchSize = define(MetricKind.Histogram, "reports.batch_size");
  memoryPages = define(MetricKind.Gauge, "memory.pages");
}

/** `service.<id>.…` counter ids of one service; 0 for reasons that precede service selection */
class ServiceCounters {
  allowed: u32;
  denied: StaticArray<u32> = new StaticArray<u32>(REASONS.length);
  status: StaticArray<u32> = new StaticArray<u32>(STATUS_CLASSES.length);

  constructor(prefix: string) {
    this.allowed = define(MetricKind.Counter, prefix + "requests.allowed");
    for (let i = 0; i < REASONS.length; i++) {
      const reason = REASONS[i][0];
      if (!BEFORE_SERVICE.includes(reason)) this.denied[i] = define(MetricKind.Counter, prefix + "requests.denied." + reason);
    }
    for (let i = 0; i < STATUS_CLASSES.length; i++) this.status[i] = define(MetricKind.Counter, prefix + "backend.status." + STATUS_CLASSES[i]);
  }
}

/**
 * on an accepted configuration, before streams see it: gives each of its first
 * MAX_SERVICES_WITH_METRICS services a slot (ids that sanitize alike share one)
 */
export function defineServiceMetrics(config: Config): void {
  const services = config.services;
  if (!services) return;
  for (let i = 0; i < min(services.length, MAX_SERVICES_WITH_METRICS); i++) {
    const segment = statSegment(services[i].id);
    if (!slotBySegment.has(segment)) {
      slotBySegment.set(segment, perService.length);
      perService.push(new ServiceCounters("service." + segment + "."));
    }
    services[i].metricSlot = slotBySegment.get(segment);
  }
}

function countersOf(service: Service | null): ServiceCounters | null {
  if (!service) return null;
  const slot = service.metricSlot;
  return slot >= 0 && slot < perService.length ? perService[slot] : null;
}

function bump(id: u32): void {
  sink.increment(id, 1);
}

export function count(counter: Counter): void {
  bump(counters[counter]);
}

export function countConfiguration(accepted: bool): void {
  count(accepted ? Counter.ConfigAccepted : Counter.ConfigRejected);
}

/**
 * the decision a stream ends with (Authrep decisions are counted when the answer is applied);
 * `service`: the one the request selected, null before selection
 */
export function countDecision(d: Decision, service: Service | null = null): void {
  const own = countersOf(service);
  if (d.outcome != Outcome.Reply) {
    count(Counter.Allowed);
    if (own) bump(own.allowed);
    return;
  }
  const reason = reasonOf(d.details);
  bump(denied[reason]);
  if (own && own.denied[reason] != 0) bump(own.denied[reason]);
}

function reasonOf(details: string): i32 {
  if (reasonByDetails.has(details)) return reasonByDetails.get(details);
  return details.startsWith(DENIED_BY_BACKEND) ? AUTH_FAILED : OTHER;
}

/** a call's callback: status null = no answer; latency from sentNs to nowNs on the host's clock */
export function countBackendAnswer(status: string | null, sentNs: u64, nowNs: u64, service: Service): void {
  // the host clock is wall time: a step backwards records 0, not a wrapped u64
  sink.record(latencyMs, nowNs > sentNs ? (nowNs - sentNs) / 1_000_000 : 0);
  if (status == null) {
    count(Counter.BackendFailures);
    return;
  }
  const cls = statusClass(status);
  count(<Counter>(<i32>Counter.Status2xx + cls));
  const own = countersOf(service);
  if (own) bump(own.status[cls]);
}

/** STATUS_CLASSES index */
function statusClass(status: string): i32 {
  if (status.length != 3 || sanitize(status) != status) return STATUS_INVALID;
  const first = status.charCodeAt(0);
  return first == 0x32 ? 0 : first == 0x34 ? 1 : first == 0x35 ? 2 : STATUS_INVALID;
}

/** a delivered report of `requests` requests */
export function countReport(requests: i64): void {
  if (requests > 0) sink.increment(counters[Counter.ReportedRequests], requests);
  sink.record(batchSize, <u64>max(requests, 0));
}

export function countReportDropped(requests: i64): void {
  if (requests > 0) sink.increment(counters[Counter.DroppedRequests], requests);
}

/** a finished system fetch (failed: refused, no answer, or a document that was not usable) */
export function countFetch(ok: bool): void {
  count(Counter.Fetches);
  if (!ok) count(Counter.FetchFailures);
}

/** adds this VM's change in linear memory (64 KiB pages) since the last tick to the gauge */
export function recordMemoryPages(): void {
  const pages = <i64>memory.size();
  if (pages == pagesRecorded) return;
  sink.increment(memoryPages, pages - pagesRecorded);
  pagesRecorded = pages;
}
