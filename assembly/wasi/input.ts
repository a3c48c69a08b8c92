// One harness document: {"config", "request"?, "answer"?, "trace"?, "steps"?}. Shape errors are
// reported with their JSON path; the configuration itself is left to parseConfig, as in the filter.
import { JsonKind, JsonValue } from "../json/value";
import { parseDecimal } from "../text/decimal";
import { jsonText } from "./json_text";

export class Answer {
  /** status null: the call failed (no answer headers), as decideAnswer expects; limits: the 3scale-limit-* headers */
  constructor(
    public status: string | null,
    public rejectionReason: string | null,
    public limitMax: string | null,
    public limitRemaining: string | null,
    public limitReset: string | null,
  ) {}
}

/** one step of a scenario (steps.ts): a request, or the backend's answer to the oldest authrep in flight */
export class Step {
  constructor(public atMs: u64, public headers: Array<string> | null, public answer: Answer | null) {}
}

export class Document {
  configText: string = "";
  /** flat [name, value, ...] in the given order; null when only the configuration is checked */
  headers: Array<string> | null = null;
  metadata: JsonValue | null = null;
  answer: Answer | null = null;
  /** whether the result carries decide's trace (wasi/trace.ts) */
  trace: bool = false;
  /** a scenario through the authorization policy, in order; null: none */
  steps: Array<Step> | null = null;
  /** the first shape error, empty when the document is well formed */
  error: string = "";
}

const DOCUMENT_FIELDS: Array<string> = ["config", "request", "answer", "trace", "steps"];
const REQUEST_FIELDS: Array<string> = ["headers", "metadata"];
const ANSWER_FIELDS: Array<string> = ["status", "rejection_reason", "limit_max", "limit_remaining", "limit_reset"];
const STEP_FIELDS: Array<string> = ["at", "request", "answer"];

export function readDocument(v: JsonValue): Document {
  const d = new Document();
  if (!checkObject(d, v, "", DOCUMENT_FIELDS)) return d;
  const config = v.get("config");
  if (!config) {
    failed(d, "config: required");
    return d;
  }
  d.configText = config.kind == JsonKind.String ? config.text : jsonText(config);
  const request = v.get("request");
  if (request && !readRequest(d, request)) return d;
  const answer = v.get("answer");
  if (answer) {
    d.answer = readAnswer(d, answer, "answer");
    if (!d.answer) return d;
  }
  const trace = v.get("trace");
  if (trace && trace.kind != JsonKind.Null) {
    if (trace.kind != JsonKind.Bool) failed(d, "trace: expected true or false");
    else d.trace = trace.bool;
  }
  const steps = v.get("steps");
  if (steps && steps.kind != JsonKind.Null) d.steps = readSteps(d, steps);
  return d;
}

function readSteps(d: Document, v: JsonValue): Array<Step> | null {
  if (v.kind != JsonKind.Array) {
    failed(d, "steps: expected an array");
    return null;
  }
  const steps = new Array<Step>();
  for (let i = 0; i < v.length; i++) {
    const path = "steps[" + i.toString() + "]";
    const step = v.at(i);
    if (!checkObject(d, step, path, STEP_FIELDS)) return null;
    const at = step.get("at");
    const ms = at && at.kind == JsonKind.Number ? parseDecimal(at.text) : -1;
    if (ms < 0) {
      failed(d, path + ".at: required, the time in milliseconds (a non-negative integer)");
      return null;
    }
    const request = step.get("request");
    const answer = step.get("answer");
    if ((request == null) == (answer == null)) {
      failed(d, path + ": expected either request or answer");
      return null;
    }
    let headers: Array<string> | null = null;
    let read: Answer | null = null;
    if (request) {
      if (!checkObject(d, request, path + ".request", ["headers"])) return null;
      headers = readHeaders(d, request, path + ".request");
      if (!headers) return null;
    } else {
      read = readAnswer(d, answer!, path + ".answer");
      if (!read) return null;
    }
    steps.push(new Step(<u64>ms, headers, read));
  }
  return steps;
}

function readRequest(d: Document, v: JsonValue): bool {
  if (!checkObject(d, v, "request", REQUEST_FIELDS)) return false;
  d.headers = readHeaders(d, v, "request");
  if (!d.headers) return false;
  const metadata = v.get("metadata");
  if (metadata && metadata.kind != JsonKind.Null) {
    if (metadata.kind != JsonKind.Object) return failed(d, "request.metadata: expected an object (namespace → object)");
    d.metadata = metadata;
  }
  return true;
}

/** the `headers` member of `v` (at `path`) as flat [name, value, ...], or null after an error */
function readHeaders(d: Document, v: JsonValue, path: string): Array<string> | null {
  const headers = v.get("headers");
  if (!headers || headers.kind != JsonKind.Array) {
    failed(d, path + ".headers: required, an array of [name, value]");
    return null;
  }
  const flat = new Array<string>();
  for (let i = 0; i < headers.length; i++) {
    const pair = headers.at(i);
    if (pair.kind != JsonKind.Array || pair.length != 2 || !pair.at(0).isString || !pair.at(1).isString) {
      failed(d, path + ".headers[" + i.toString() + "]: expected [name, value] strings");
      return null;
    }
    flat.push(pair.at(0).text);
    flat.push(pair.at(1).text);
  }
  return flat;
}

/** the answer at `path`, or null after an error */
function readAnswer(d: Document, v: JsonValue, path: string): Answer | null {
  if (!checkObject(d, v, path, ANSWER_FIELDS)) return null;
  const status = optionalString(d, v, path, "status");
  const reason = optionalString(d, v, path, "rejection_reason");
  const limitMax = optionalString(d, v, path, "limit_max");
  const remaining = optionalString(d, v, path, "limit_remaining");
  const reset = optionalString(d, v, path, "limit_reset");
  return d.error.length > 0 ? null : new Answer(status, reason, limitMax, remaining, reset);
}

/** a string member, or null when absent or null; records an error for any other kind */
function optionalString(d: Document, v: JsonValue, path: string, name: string): string | null {
  const m = v.get(name);
  if (!m || m.kind == JsonKind.Null) return null;
  if (m.kind != JsonKind.String) failed(d, path + "." + name + ": expected a string or null");
  return m.text;
}

/** an object with only known members, so a misspelt field is an error, not a silent default */
function checkObject(d: Document, v: JsonValue, path: string, known: Array<string>): bool {
  const where = path.length > 0 ? path + ": " : "";
  if (v.kind != JsonKind.Object) return failed(d, where + "expected an object");
  for (let i = 0; i < v.length; i++) {
    if (!known.includes(v.keyAt(i))) return failed(d, (path.length > 0 ? path + "." : "") + v.keyAt(i) + ": unknown field");
  }
  return true;
}

function failed(d: Document, message: string): bool {
  if (d.error.length == 0) d.error = message;
  return false;
}
