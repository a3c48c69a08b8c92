// The `3scale-options` extensions (docs/backend-protocol.md §2), including the limit headers.
import type { AuthAnswer } from "./authorize";
import type { UsageReport } from "./limits";
import { PERIODS } from "./periods";
import { type ParamHash, parseQuery, stringParam } from "./query";
import type { SimState } from "./state";
import { foldUsage } from "./usage";

export interface Extensions {
  noBody: boolean;
  rejectionReasonHeader: boolean;
  limitHeaders: boolean;
  hierarchy: boolean;
  flatUsage: boolean;
  listAppKeys: boolean;
}

/** Parses the header value with the query rules. */
export function parseExtensions(header: string | undefined): Extensions {
  const options = parseQuery(header ?? "");
  const on = (key: string) => stringParam(options, key) === "1";
  return {
    noBody: noBodyEnabled(stringParam(options, "no_body")),
    rejectionReasonHeader: on("rejection_reason_header"),
    limitHeaders: on("limit_headers"),
    hierarchy: on("hierarchy"),
    flatUsage: on("flat_usage"),
    listAppKeys: on("list_app_keys"),
  };
}

/** The legacy `no_body` query parameter enables the extension too. */
export function withLegacyNoBody(ext: Extensions, params: ParamHash): Extensions {
  return { ...ext, noBody: ext.noBody || noBodyEnabled(stringParam(params, "no_body")) };
}

const noBodyEnabled = (value: string | undefined) => value !== undefined && value !== "0" && value !== "false";

/** `3scale-rejection-reason`: only on denials, only when asked for. */
export function rejectionHeaders(answer: AuthAnswer, ext: Extensions): Record<string, string> {
  return ext.rejectionReasonHeader && answer.reason ? { "3scale-rejection-reason": answer.reason.code } : {};
}

interface Candidate {
  report: UsageReport;
  sameCalls: number;
}

/** Limit headers on 200 answers and on `limits_exceeded` denials, from the most constrained report. */
export function limitHeaders(state: SimState, answer: AuthAnswer, ext: Extensions): Record<string, string> {
  if (!ext.limitHeaders || (answer.reason && answer.reason.code !== "limits_exceeded")) return {};
  let best: Candidate | undefined;
  for (const report of candidateReports(state, answer)) {
    const candidate = { report, sameCalls: sameCalls(state, answer, report) };
    if (!best || compare(candidate, best) < 0) best = candidate;
  }
  if (!best || best.sameCalls === -1) return { "3scale-limit-remaining": "-1", "3scale-limit-reset": "-1" };
  const { period, end, max } = best.report;
  return {
    "3scale-limit-remaining": String(best.sameCalls),
    "3scale-limit-reset": String(period === "eternity" ? -1 : Math.ceil((end - answer.at) / 1000)),
    "3scale-limit-max-value": String(max),
  };
}

/** Reports on metrics of the usage or their ancestors; all of them when the usage is empty. */
function candidateReports(state: SimState, { service, usage, reports }: AuthAnswer): UsageReport[] {
  if (usage.size === 0) return reports;
  const metrics = new Set([...usage.keys()].flatMap((name) => [name, ...state.ancestors(service, name)]));
  return reports.filter((report) => metrics.has(report.metric));
}

/** How many identical calls still fit: 0 when nothing remains, -1 when the call uses nothing of it. */
function sameCalls(state: SimState, { service, usage }: AuthAnswer, report: UsageReport): number {
  const remaining = Math.max(report.max - report.value, 0);
  if (remaining === 0) return 0;
  const perCall = foldUsage(state, service, usage, report.metric, 0);
  return perCall > 0 ? Math.floor(remaining / perCall) : -1;
}

/**
 * apisonator's comparator, kept literally (it is asymmetric: an unlimited candidate replaces a
 * best with 0 remaining): equal counts prefer the longer period, otherwise the smaller count wins
 * unless the best so far is unlimited.
 */
function compare(x: Candidate, best: Candidate): number {
  if (x.sameCalls === best.sameCalls) return PERIODS.indexOf(x.report.period) - PERIODS.indexOf(best.report.period);
  return best.sameCalls === -1 || x.sameCalls < best.sameCalls ? -1 : 1;
}
