// Planning reports (the call itself is backend/report.ts): one call per credential carrying its
// summed usage (requests × each metric's delta).
// One credential per call, because the backend answers 202 before it looks at a transaction and
// then counts a batch all or nothing: one transaction it rejects (an application or user key
// deleted since its last authrep, a metric removed) would discard every other credential's usage
// in the same call, and nothing tells the module beforehand (docs/decision.md §5.1).
// A credential whose metrics exceed MAX_REPORT_BODY characters is continued in the next call.
// Each call carries exactly the entries it reports, so its delivery or put-back is its own.
import { Config, Service, Upstream } from "../config/types";
import { PendingUsage } from "./usage_table";
import { splitKey } from "../backend/transaction";
import { METRIC_OVERHEAD, reportBody, reportBodyBase, reportCredential, reportHead, reportHeaders } from "../backend/report";

/** characters of body per call (the body is ASCII: every part is percent-encoded) */
export const MAX_REPORT_BODY: i32 = 256 * 1024;

export class ReportCall {
  constructor(
    public serviceId: string,
    public cluster: string,
    public timeoutMs: u32,
    public headers: Array<string>,
    private head: string,
    private credential: string,
    private metrics: Array<string>,
    private totals: Array<i64>,
    /** what the report carries, to put back if it cannot be delivered */
    public entries: Array<PendingUsage>,
  ) {}

  get requests(): i64 {
    let n: i64 = 0;
    for (let i = 0; i < this.entries.length; i++) n += this.entries[i].requests;
    return n;
  }

  /** built when sent, not when planned: a round's waiting calls hold no bodies */
  body(): string {
    return reportBody(this.head, this.credential, this.metrics, this.totals);
  }
}

/** one service's pending entries grouped by credential ("<name>%5D=<encoded value>"), in first-seen order */
class ServiceBatch {
  private index: Map<string, i32> = new Map<string, i32>();
  credentials: Array<string> = new Array<string>();
  entries: Array<Array<PendingUsage>> = new Array<Array<PendingUsage>>();
  /** each entry's usage part of its key ("<metric>=<delta>&...") */
  usages: Array<Array<string>> = new Array<Array<string>>();

  add(credential: string, entry: PendingUsage, usage: string): void {
    if (!this.index.has(credential)) {
      this.index.set(credential, this.credentials.length);
      this.credentials.push(credential);
      this.entries.push(new Array<PendingUsage>());
      this.usages.push(new Array<string>());
    }
    const c = this.index.get(credential);
    this.entries[c].push(entry);
    this.usages[c].push(usage);
  }
}

export class ReportPlan {
  calls: Array<ReportCall> = new Array<ReportCall>();
  /** entries of services that are no longer configured (or have no token): cannot be reported */
  orphans: Array<PendingUsage> = new Array<PendingUsage>();
}

export function planReports(config: Config, upstream: Upstream, pending: Array<PendingUsage>): ReportPlan {
  const plan = new ReportPlan();
  const index = new Map<string, i32>();
  const ids = new Array<string>();
  const batches = new Array<ServiceBatch>();
  for (let i = 0; i < pending.length; i++) {
    const parts = splitKey(pending[i].key);
    if (!parts) { plan.orphans.push(pending[i]); continue; }
    if (!index.has(parts.serviceId)) { index.set(parts.serviceId, ids.length); ids.push(parts.serviceId); batches.push(new ServiceBatch()); }
    batches[index.get(parts.serviceId)].add(reportCredential(parts.credentialName, parts.credentialValue), pending[i], parts.usage);
  }
  const headers = reportHeaders(upstream);
  const timeout = upstream.timeoutMs > <u64>U32.MAX_VALUE ? U32.MAX_VALUE : <u32>upstream.timeoutMs;
  for (let b = 0; b < ids.length; b++) {
    const batch = batches[b];
    const service = findService(config, ids[b]);
    const token = service ? service.token : null;
    if (token == null) {
      for (let c = 0; c < batch.entries.length; c++) for (let i = 0; i < batch.entries[c].length; i++) plan.orphans.push(batch.entries[c][i]);
      continue;
    }
    const calls = new ReportCalls(ids[b], upstream.name, timeout, headers, reportHead(token, ids[b]), plan.calls);
    for (let c = 0; c < batch.credentials.length; c++) {
      calls.start(batch.credentials[c]);
      for (let i = 0; i < batch.entries[c].length; i++) calls.add(batch.entries[c][i], batch.usages[c][i]);
      calls.close();
    }
  }
  return plan;
}

/** one service's calls: one credential's transaction each, cut at MAX_REPORT_BODY */
class ReportCalls {
  // the open call: its credential, metrics and totals so far, the entries they sum, and its size at most
  private credential: string = "";
  private metrics: Array<string> = new Array<string>();
  private totals: Array<i64> = new Array<i64>();
  private positions: Map<string, i32> = new Map<string, i32>();
  private entries: Array<PendingUsage> = new Array<PendingUsage>();
  private size: i32 = 0;

  constructor(
    private serviceId: string,
    private cluster: string,
    private timeoutMs: u32,
    private headers: Array<string>,
    private head: string,
    private out: Array<ReportCall>,
  ) {}

  start(credential: string): void {
    this.credential = credential;
    this.clear();
  }

  /** merges `entry` into the open call, first closing it when the entry would not fit */
  add(entry: PendingUsage, usage: string): void {
    const pairs = usage.split("&");
    if (this.entries.length > 0 && this.size + this.growth(pairs) > MAX_REPORT_BODY) this.close();
    this.entries.push(entry);
    for (let i = 0; i < pairs.length; i++) {
      const equals = pairs[i].lastIndexOf("=");
      if (equals <= 0) continue;
      const metric = pairs[i].substring(0, equals);
      const used = I64.parseInt(pairs[i].substring(equals + 1)) * entry.requests;
      if (this.positions.has(metric)) {
        const m = this.positions.get(metric);
        this.totals[m] = this.totals[m] + used;
      } else {
        this.positions.set(metric, this.metrics.length);
        this.metrics.push(metric);
        this.totals.push(used);
        this.size += METRIC_OVERHEAD + metric.length;
      }
    }
  }

  /** closes the open call, if it carries anything, and opens the next for the same credential */
  close(): void {
    if (this.entries.length == 0) return;
    this.out.push(new ReportCall(this.serviceId, this.cluster, this.timeoutMs, this.headers, this.head, this.credential, this.metrics, this.totals, this.entries));
    this.clear();
  }

  private clear(): void {
    this.metrics = new Array<string>();
    this.totals = new Array<i64>();
    this.positions.clear();
    this.entries = new Array<PendingUsage>();
    this.size = reportBodyBase(this.head, this.credential);
  }

  /** what the entry's metrics would add to the open call, at most */
  private growth(pairs: Array<string>): i32 {
    let extra = 0;
    for (let i = 0; i < pairs.length; i++) {
      const equals = pairs[i].lastIndexOf("=");
      if (equals > 0 && !this.positions.has(pairs[i].substring(0, equals))) extra += METRIC_OVERHEAD + equals;
    }
    return extra;
  }
}

/** the configured service whose percent-encoded id is `encodedId` */
function findService(config: Config, encodedId: string): Service | null {
  const services = config.services;
  if (!services) return null;
  for (let i = 0; i < services.length; i++) if (services[i].encodedId == encodedId) return services[i];
  return null;
}
