// Batched reports (backend-api.md A.12): one `POST /transactions.xml` per service, one
// transaction per credential with the summed usage (requests × each metric's delta). The app
// key is not sent (reports are not authorized). Brackets are encoded as APIcast does.
import { Config, Service, Upstream } from "../config/types";
import { USER_AGENT } from "../pipeline/authrep";
import { percentEncodeComponent } from "../url/form";
import { PendingUsage } from "./usage_table";
import { splitKey } from "./transaction";

export class ReportCall {
  constructor(
    public serviceId: string,
    public cluster: string,
    public timeoutMs: u32,
    public headers: Array<string>,
    public body: string,
    /** what the report carries, to put back if it cannot be delivered */
    public entries: Array<PendingUsage>,
  ) {}

  get requests(): i64 {
    let n: i64 = 0;
    for (let i = 0; i < this.entries.length; i++) n += this.entries[i].requests;
    return n;
  }
}

/** one service's transactions: credential → metric → total, in first-seen order */
class ServiceBatch {
  credentials: Array<string> = new Array<string>();
  metrics: Array<Array<string>> = new Array<Array<string>>();
  totals: Array<Array<i64>> = new Array<Array<i64>>();
  entries: Array<PendingUsage> = new Array<PendingUsage>();

  add(credential: string, usage: string, requests: i64): void {
    let c = this.credentials.indexOf(credential);
    if (c < 0) {
      c = this.credentials.length;
      this.credentials.push(credential);
      this.metrics.push(new Array<string>());
      this.totals.push(new Array<i64>());
    }
    const pairs = usage.split("&");
    for (let i = 0; i < pairs.length; i++) {
      const equals = pairs[i].lastIndexOf("=");
      if (equals <= 0) continue;
      const metric = pairs[i].substring(0, equals);
      const delta = I64.parseInt(pairs[i].substring(equals + 1));
      const m = this.metrics[c].indexOf(metric);
      if (m < 0) { this.metrics[c].push(metric); this.totals[c].push(delta * requests); }
      else this.totals[c][m] = this.totals[c][m] + delta * requests;
    }
  }
}

export class ReportPlan {
  calls: Array<ReportCall> = new Array<ReportCall>();
  /** entries of services that are no longer configured (or have no token): cannot be reported */
  orphans: Array<PendingUsage> = new Array<PendingUsage>();
}

export function planReports(config: Config, upstream: Upstream, pending: Array<PendingUsage>): ReportPlan {
  const plan = new ReportPlan();
  const ids = new Array<string>();
  const batches = new Array<ServiceBatch>();
  for (let i = 0; i < pending.length; i++) {
    const parts = splitKey(pending[i].key);
    if (!parts) { plan.orphans.push(pending[i]); continue; }
    let b = ids.indexOf(parts.serviceId);
    if (b < 0) { b = ids.length; ids.push(parts.serviceId); batches.push(new ServiceBatch()); }
    batches[b].add(parts.credentialName + "%5D=" + parts.credentialValue, parts.usage, pending[i].requests);
    batches[b].entries.push(pending[i]);
  }
  for (let b = 0; b < ids.length; b++) {
    const service = findService(config, ids[b]);
    const token = service ? service.token : null;
    if (token == null) { for (let i = 0; i < batches[b].entries.length; i++) plan.orphans.push(batches[b].entries[i]); continue; }
    plan.calls.push(reportCall(upstream, ids[b], token, batches[b]));
  }
  return plan;
}

function reportCall(upstream: Upstream, serviceId: string, token: string, batch: ServiceBatch): ReportCall {
  let body = "service_token=" + percentEncodeComponent(token) + "&service_id=" + serviceId;
  for (let c = 0; c < batch.credentials.length; c++) {
    const prefix = "&transactions%5B" + c.toString() + "%5D%5B";
    // credentials[c] is "<name>%5D=<encoded value>"
    body += prefix + batch.credentials[c];
    for (let m = 0; m < batch.metrics[c].length; m++) {
      body += prefix + "usage%5D%5B" + batch.metrics[c][m] + "%5D=" + batch.totals[c][m].toString();
    }
  }
  const url = upstream.url;
  const query = url.query;
  const headers = new Array<string>();
  headers.push(":authority"); headers.push(url.authority);
  headers.push(":scheme"); headers.push(url.scheme);
  headers.push(":method"); headers.push("POST");
  headers.push(":path"); headers.push(url.basePath + "transactions.xml" + (query != null ? "?" + query : ""));
  headers.push("content-type"); headers.push("application/x-www-form-urlencoded");
  headers.push("User-Agent"); headers.push(USER_AGENT);
  const timeout = upstream.timeoutMs > <u64>U32.MAX_VALUE ? U32.MAX_VALUE : <u32>upstream.timeoutMs;
  return new ReportCall(serviceId, upstream.name, timeout, headers, body, batch.entries);
}

/** the configured service whose percent-encoded id is `encodedId` */
function findService(config: Config, encodedId: string): Service | null {
  const services = config.services;
  if (!services) return null;
  for (let i = 0; i < services.length; i++) if (services[i].encodedId == encodedId) return services[i];
  return null;
}
