// Renders a dry run as readable lines. Every line says where it comes from: the real run of the
// module in the in-process host (`module`), the module's own trace of its decision (`trace`, see
// module-trace.ts), the configuration text, to name what the trace refers to (`config`), or the
// request as given (`input`).
import type { Header, HttpCallRecord, RequestResult, RequestSpec } from "../host/types";
import type { HarnessDecision, HarnessLookup, HarnessResult, HarnessTrace } from "../wasi/harness";
import { type ConfigView, CREDENTIAL_KINDS, type CredentialKind, describeRule, describeSource, type ServiceView, type SourceView } from "./config-view";
import type { Masker } from "./mask";

type Tag = "module" | "trace" | "config" | "input";

export interface TraceInput {
  view: ConfigView;
  request: RequestSpec;
  /** the real run */
  result: RequestResult;
  /** the same request through the harness, with the trace */
  traced: HarnessResult;
  backend: string;
  masker: Masker;
}

export const LEGEND = "line sources: module = the real run; trace = the module's trace of its decision (the WASI harness build, same request); config = the configuration, naming what the trace refers to";

/** earlier services listed one by one, up to this many */
const LISTED_SERVICES = 10;

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
  renderSteps(out, t, t.traced.trace ?? {});
  renderAuthrep(out, t);
  renderDecision(out, t);
  out.section("module log (debug)");
  t.result.logs.forEach((l) => out.add("module", 1, `[${l.level}] ${t.masker.logLine(l.message)}`));
  return out.all;
}

function renderSteps(out: Lines, t: TraceInput, trace: HarnessTrace): void {
  out.section("service");
  if (trace.authority === undefined) {
    out.add("trace", 1, "decided before a service was chosen (see the decision)");
    return;
  }
  const services = t.view.services;
  const chosen = trace.service ? trace.service.index : services.length;
  const authority = JSON.stringify(trace.authority);
  services.slice(0, Math.min(chosen, LISTED_SERVICES)).forEach((s) => out.add("trace", 1, `service ${s.id}: no authority pattern matches ${authority} (${s.authorities.join(", ")})`));
  if (chosen > LISTED_SERVICES) out.add("trace", 1, `${chosen - LISTED_SERVICES} more service(s): no authority pattern matches ${authority}`);
  if (!trace.service) {
    out.add("trace", 1, `no service selected: none has an authority matching ${authority}`);
    return;
  }
  const service = services[chosen];
  out.add("trace", 1, `service ${service.id} selected: ${authority} matches its authority ${service.authorities[trace.service.pattern]} (authorities: ${service.authorities.join(", ")})`);
  if (chosen + 1 < services.length) out.add("config", 1, `${services.length - chosen - 1} later service(s) not considered: the first match wins`);
  out.section("credentials");
  renderCredentials(out, service, trace, t.masker);
  out.section("mapping rules");
  renderRules(out, service, trace);
}

function renderCredentials(out: Lines, service: ServiceView, trace: HarnessTrace, masker: Masker): void {
  const lookups = trace.lookups ?? [];
  for (const kind of CREDENTIAL_KINDS) {
    const sources = service.credentials[kind];
    if (!sources) continue;
    const tried = lookups.filter((l) => l.kind === kind);
    if (tried.length === 0) {
      out.add("config", 1, `${kind}: not consulted (${skipReason(kind, trace)})`);
      continue;
    }
    out.add("config", 1, `${kind}: ${sources.length} source(s), tried in order`);
    for (const lookup of tried) renderLookup(out, sources[lookup.source], lookup, masker);
    const last = tried[tried.length - 1];
    const untried = sources.length - last.source - 1;
    if (untried > 0) out.add("config", 2, `${untried} later source(s) not tried: source ${last.source + 1} resolved`);
  }
  out.add("trace", 1, `credentials (docs/configuration.md §8.1): ${credentialSummary(trace.credentials, masker)}`);
}

function renderLookup(out: Lines, source: SourceView, lookup: HarnessLookup, masker: Masker): void {
  out.add("config", 2, `source ${lookup.source + 1}: ${describeSource(source)}`);
  if (!lookup.found) {
    out.add("trace", 3, `no value found for ${source.type === "filter" ? "the path and keys" : "any key"}`);
    return;
  }
  const [found, ...after] = lookup.stacks;
  if (found) out.add("trace", 3, `found: ${masker.stack(found)}`);
  after.forEach((stack, k) => out.add("trace", 3, `after ${k + 1} ${JSON.stringify(source.ops[k])}: ${masker.stack(stack)}`));
  if (lookup.truncated) out.add("trace", 3, "further stacks not recorded (the trace's size cap)");
  if (lookup.failed_op !== null) {
    out.add("trace", 3, `operation ${lookup.failed_op + 1} ${JSON.stringify(source.ops[lookup.failed_op])} failed: next source`);
    return;
  }
  const resolved = lookup.stacks[lookup.stacks.length - 1];
  if (resolved && !lookup.truncated) out.add("trace", 3, `resolved: ${masker.stack(resolved)}`);
  else out.add("trace", 3, "resolved");
}

/** why resolution (docs/configuration.md §8.1) did not look at `kind`, from what the trace found */
function skipReason(kind: CredentialKind, trace: HarnessTrace): string {
  const found = trace.credentials;
  if (found && "user_key" in found) return "a user key was found";
  if (kind === "app_key" && !found) return "no app id";
  if (kind === "app_key" && found && "app_id" in found && found.app_key !== null) return "the app id source gave the key";
  return "no sources";
}

function credentialSummary(found: HarnessTrace["credentials"], masker: Masker): string {
  if (!found) return "none (403 Authentication parameters missing)";
  if ("user_key" in found) return `user_key ${masker.value(found.user_key)}`;
  return `app_id ${masker.value(found.app_id)}${found.app_key === null ? "" : `, app_key ${masker.value(found.app_key)}`}`;
}

function renderRules(out: Lines, service: ServiceView, trace: HarnessTrace): void {
  const matched = trace.rules;
  if (matched === undefined) {
    out.add("config", 1, `${service.rules.length} rule(s), not evaluated: the request ended before the mapping rules`);
    return;
  }
  matched.forEach((i) => out.add("trace", 1, `matched #${i + 1}: ${describeRule(service.rules[i])}`));
  const last = matched.find((i) => service.rules[i].last);
  const evaluated = last === undefined ? service.rules.length : last + 1;
  out.add("trace", 1, `${evaluated - matched.length} other rule(s) did not match`);
  if (last !== undefined && evaluated < service.rules.length) {
    out.add("config", 1, `${service.rules.length - evaluated} rule(s) after #${last + 1} not evaluated (last: true)`);
  }
  const usages = trace.usages ?? [];
  out.add("trace", 1, `usages: ${usages.length === 0 ? "none" : usages.map(([name, delta]) => `${name} ${delta}`).join(", ")}`);
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
  const traced = t.traced.decision;
  if (traced && !agrees(traced, r)) {
    out.add("trace", 1, `warning: the traced decision (${traced.outcome}${traced.status ? ` ${traced.status}` : ""}) differs from the module's: they were built from different sources (npm run build && npm run build:harness); the trace above may not apply`);
  }
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

/** whether the harness decided as the real run did: the same authrep :path, reply status or pass */
function agrees(traced: HarnessDecision, r: RequestResult): boolean {
  const call = r.httpCalls[0];
  if (traced.outcome === "authrep") {
    const path = (headers: Header[] | undefined) => headers?.find(([name]) => name === ":path")?.[1];
    return call !== undefined && String(path(call.headers)) === String(path(traced.authrep?.headers));
  }
  if (traced.outcome === "reply") return r.outcome === "local_reply" && r.status === traced.status;
  return r.outcome === "continue" && call === undefined;
}
