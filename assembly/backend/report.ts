// The report call (docs/backend-protocol.md §3): `POST /transactions.xml` with a form body of
// one transaction — the service's token and id, one credential and its summed usage. The app key
// is not sent (reports are not authorized). Brackets are encoded as APIcast does. Which usage
// goes in which call is planned in cache/report.ts.
import { Upstream } from "../config/types";
import { percentEncodeComponent } from "../url/form";
import { StringBuilder } from "../text/builder";
import { REPORT_PATH, USER_AGENT } from "./protocol";

/** the prefix of every field of the call's one transaction */
const FIELD_PREFIX = "&transactions%5B0%5D%5B";
const USAGE_FIELD = "usage%5D%5B";
const FIELD_CLOSE = "%5D=";
/** what a metric adds to a body beyond its name: its field and a total of up to 19 digits */
export const METRIC_OVERHEAD: i32 = FIELD_PREFIX.length + USAGE_FIELD.length + FIELD_CLOSE.length + 19;

/** the start of every body of a service: its token and (percent-encoded) id */
export function reportHead(token: string, encodedServiceId: string): string {
  return "service_token=" + percentEncodeComponent(token) + "&service_id=" + encodedServiceId;
}

/** a credential as its report field carries it: "<name>%5D=<value>", both percent-encoded */
export function reportCredential(name: string, value: string): string {
  return name + FIELD_CLOSE + value;
}

/** characters of a body with `head` and `credential` and no metric yet */
export function reportBodyBase(head: string, credential: string): i32 {
  return head.length + FIELD_PREFIX.length + credential.length;
}

/** the body of a call: one credential's totals of `metrics` (percent-encoded names) */
export function reportBody(head: string, credential: string, metrics: Array<string>, totals: Array<i64>): string {
  const body = new StringBuilder(reportBodyBase(head, credential) + metrics.length * METRIC_OVERHEAD);
  body.add(head).add(FIELD_PREFIX).add(credential);
  for (let m = 0; m < metrics.length; m++) {
    body.add(FIELD_PREFIX).add(USAGE_FIELD).add(metrics[m]).add(FIELD_CLOSE).addInt(totals[m]);
  }
  return body.toString();
}

/** the same for every call: the headers are never changed */
export function reportHeaders(upstream: Upstream): Array<string> {
  const url = upstream.url;
  const query = url.query;
  const headers = new Array<string>();
  headers.push(":authority"); headers.push(url.authority);
  headers.push(":scheme"); headers.push(url.scheme);
  headers.push(":method"); headers.push("POST");
  headers.push(":path"); headers.push(url.basePath + REPORT_PATH + (query != null ? "?" + query : ""));
  headers.push("content-type"); headers.push("application/x-www-form-urlencoded");
  headers.push("User-Agent"); headers.push(USER_AGENT);
  return headers;
}
