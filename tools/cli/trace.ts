// Renders a dry run as readable lines. Every line says where it comes from: the real run of the
// module (`module`), the replay on the instrumented configuration (`probe`, see probe.ts), or
// the configuration text read in TS where the module exposes nothing (`config`).
import type { Header, HttpCallRecord, RequestResult, RequestSpec } from "../host/types";
import { type ConfigView, CREDENTIAL_KINDS, type CredentialKind, describeRule, describeSource, type ServiceView } from "./config-view";
import type { Masker } from "./mask";
import type { ProbeResult } from "./probe";

type Tag = "module" | "probe" | "config" | "input";

export interface TraceInput {
  view: ConfigView;
  request: RequestSpec;
  /** the real run */
  result: RequestResult;
  /** undefined with `probeError` when the replay could not run */
  probe?: ProbeResult;
  probeError?: string;
  backend: string;
  masker: Masker;
}

export const LEGEND = "line sources: module = the real run; probe = a replay of the request on an instrumented copy of the configuration (probe.ts); config = reconstructed from the configuration text";

class Lines {
  readonly all: string[] = [];
  add(tag: Tag, depth: number, text: string): void {
    this.all.push(`${tag.padEnd(6)} │ ${"  ".repeat(depth)}${text}`);
  }
  section(title: string): void {
    this.all.push(`── ${title}`);
  }
}

export function renderTrace(t: TraceInput): string[] {
  const out = new Lines();
  out.section("request");
  t.request.headers.forEach((h) => out.add("input", 1, t.masker.header(h)));
  if (t.request.metadata) out.add("input", 1, `filter metadata namespaces: ${Object.keys(t.request.metadata).join(", ")}`);
  if (t.probe) renderSteps(out, t, t.probe);
  else out.add("config", 0, `no step trace: ${t.probeError}`);
  renderAuthrep(out, t);
  renderDecision(out, t);
  out.section("module log (debug)");
  t.result.logs.forEach((l) => out.add("module", 1, `[${l.level}] ${t.masker.logLine(l.message)}`));
  return out.all;
}

function renderSteps(out: Lines, t: TraceInput, probe: ProbeResult): void {
  out.section("service");
  const service = probe.service === undefined ? undefined : t.view.services[probe.service];
  if (!service) {
    out.add("probe", 1, "no service selected (see the decision)");
    return;
  }
  out.add("probe", 1, `service ${service.id} selected (authorities: ${service.authorities.join(", ")})`);
  out.section("credentials");
  renderCredentials(out, service, probe, t.masker);
  out.section("mapping rules");
  renderRules(out, service, probe.matchedRules);
}

function renderCredentials(out: Lines, service: ServiceView, probe: ProbeResult, masker: Masker): void {
  const resolved: Partial<Record<CredentialKind, string[]>> = {};
  for (const kind of CREDENTIAL_KINDS) {
    const sources = service.credentials[kind];
    if (!sources) continue;
    const skipped = skipReason(kind, resolved);
    if (skipped) {
      out.add("config", 1, `${kind}: not consulted (${skipped})`);
      continue;
    }
    out.add("config", 1, `${kind}: ${sources.length} source(s), tried in order`);
    for (let j = 0; j < sources.length && !resolved[kind]; j++) {
      const key = `${kind}/${j}`;
      const source = sources[j];
      out.add("config", 2, `source ${j + 1}: ${describeSource(source)}`);
      if (probe.uninstrumented.has(key)) {
        out.add("config", 3, "filter source without operations: its result is not observable; later sources not shown");
        break;
      }
      const stacks = probe.stacks.get(key);
      if (!stacks) {
        out.add("probe", 3, `no value found for ${source.type === "filter" ? "the path and keys (or an empty list)" : "any key"}`);
        continue;
      }
      out.add("probe", 3, `found: ${masker.stack(stacks[0])}`);
      for (let k = 1; k < stacks.length; k++) out.add("probe", 3, `after ${k} ${JSON.stringify(source.ops[k - 1])}: ${masker.stack(stacks[k])}`);
      if (stacks.length <= source.ops.length) {
        out.add("probe", 3, `operation ${stacks.length} ${JSON.stringify(source.ops[stacks.length - 1])} failed: next source`);
        continue;
      }
      resolved[kind] = stacks[stacks.length - 1];
      out.add("probe", 3, `resolved: ${masker.stack(resolved[kind]!)}`);
    }
  }
  out.add("config", 1, `credentials (docs/configuration.md §8.1): ${credentialSummary(resolved, masker)}`);
}

/** why §8.1 (as the module implements it) does not look at `kind` */
function skipReason(kind: CredentialKind, resolved: Partial<Record<CredentialKind, string[]>>): string | undefined {
  if (kind === "user_key") return undefined;
  if (resolved.user_key?.length) return "a user key was found";
  if (kind === "app_key" && !resolved.app_id?.length) return "no app id";
  if (kind === "app_key" && resolved.app_id!.length > 1) return "the app id source gave the key";
  return undefined;
}

function credentialSummary(resolved: Partial<Record<CredentialKind, string[]>>, masker: Masker): string {
  if (resolved.user_key?.length) return `user_key ${masker.value(resolved.user_key[0])}`;
  const [appId, secondValue] = resolved.app_id ?? [];
  if (appId === undefined) return "none (403 Authentication parameters missing)";
  const appKey = secondValue ?? resolved.app_key?.[0];
  return `app_id ${masker.value(appId)}${appKey === undefined ? "" : `, app_key ${masker.value(appKey)}`}`;
}

function renderRules(out: Lines, service: ServiceView, matched: number[] | undefined): void {
  if (matched === undefined) {
    out.add("config", 1, `${service.rules.length} rule(s), not evaluated: the request ended before the mapping rules`);
    return;
  }
  matched.forEach((i) => out.add("probe", 1, `matched #${i + 1}: ${describeRule(service.rules[i])}`));
  const last = matched.find((i) => service.rules[i].last);
  const evaluated = last === undefined ? service.rules.length : last + 1;
  out.add("probe", 1, `${evaluated - matched.length} other rule(s) did not match`);
  if (last !== undefined && evaluated < service.rules.length) {
    out.add("config", 1, `${service.rules.length - evaluated} rule(s) after #${last + 1} not evaluated (last: true)`);
  }
}

function renderAuthrep(out: Lines, t: TraceInput): void {
  out.section("authrep request");
  const call = t.result.httpCalls[0];
  if (!call) {
    out.add("module", 1, "none");
    return;
  }
  out.add("module", 1, `cluster ${call.cluster}, timeout ${call.timeoutMs} ms, answered by ${t.backend}`);
  call.headers.forEach((h) => out.add("module", 2, t.masker.header(h)));
  out.add("module", 1, `backend answer: ${answerText(call)}`);
}

function answerText(call: HttpCallRecord): string {
  if (call.state !== "answered" || !call.response) return `${call.state}${call.error ? ` (${call.error})` : ""}`;
  const get = (name: string) => call.response!.headers.find(([n]) => n === name)?.[1];
  const reason = get("3scale-rejection-reason");
  return `${get(":status")}${reason === undefined ? "" : `, 3scale-rejection-reason: ${reason}`}`;
}

function renderDecision(out: Lines, t: TraceInput): void {
  out.section("decision");
  const r = t.result;
  if (r.outcome === "continue") {
    out.add("module", 1, "continues upstream");
    const has = (list: Header[], [name, value]: Header) => list.some(([n, v]) => n === name && String(v) === String(value));
    r.requestHeaders.filter((h) => !has(t.request.headers, h)).forEach((h) => out.add("module", 2, `+ ${t.masker.header(h)}`));
    t.request.headers.filter((h) => !has(r.requestHeaders, h)).forEach((h) => out.add("module", 2, `- ${t.masker.header(h)}`));
    return;
  }
  if (r.outcome !== "local_reply") {
    out.add("module", 1, `${r.outcome}${r.status === undefined ? "" : ` (status ${r.status})`}`);
    return;
  }
  out.add("module", 1, `local reply ${r.status} ${JSON.stringify(r.body)}${r.details ? ` (details ${r.details})` : ""}`);
}
