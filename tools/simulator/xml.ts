// Response bodies of tools/simulator/README.md: single-line XML. Only the plan name and error messages
// are escaped; the reason text and names are inserted verbatim, as apisonator does.
import type { AuthAnswer } from "./authorize";
import type { Extensions } from "./extensions";
import type { UsageReport } from "./limits";
import { formatTime } from "./periods";
import type { SimState } from "./state";

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';
const MAX_LISTED_KEYS = 256;

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function errorXml(code: string, message: string): string {
  return `${PROLOG}<error code="${code}">${escapeText(message)}</error>`;
}

export function statusXml(state: SimState, answer: AuthAnswer, ext: Extensions): string {
  const { app, service, reports } = answer;
  const parts = [PROLOG, "<status>", `<authorized>${answer.authorized}</authorized>`];
  if (answer.reason) parts.push(`<reason>${answer.reason.text}</reason>`);
  if (answer.endpoint.startsWith("oauth_")) {
    const field = answer.redirectParam;
    parts.push(`<application><id>${app.id}</id><key>${app.keys[0] ?? ""}</key>`,
      `<${field}>${app.redirectUrl ?? ""}</${field}></application>`);
  }
  parts.push(`<plan>${escapeText(app.plan)}</plan>`);
  if (reports.length > 0) parts.push("<usage_reports>", ...reports.map(reportXml), "</usage_reports>");
  if (ext.listAppKeys) {
    const keys = app.keys.slice(0, MAX_LISTED_KEYS).map((key) => `<key id="${key}"/>`);
    parts.push(`<app_keys app="${app.id}" svc="${service.id}">`, ...keys, "</app_keys>");
  }
  if (ext.hierarchy) {
    const metrics = reports.map((r) => `<metric name="${r.metric}" children="${state.children(service, r.metric).join(" ")}"/>`);
    parts.push("<hierarchy>", ...metrics, "</hierarchy>");
  }
  parts.push("</status>");
  return parts.join("");
}

function reportXml(report: UsageReport): string {
  const exceeded = report.stored > report.max ? ' exceeded="true"' : "";
  const period = report.period === "eternity" ? ""
    : `<period_start>${formatTime(report.start)}</period_start><period_end>${formatTime(report.end)}</period_end>`;
  return `<usage_report metric="${report.metric}" period="${report.period}"${exceeded}>${period}` +
    `<max_value>${report.max}</max_value><current_value>${report.value}</current_value></usage_report>`;
}
