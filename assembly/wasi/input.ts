// One harness document: {"config", "request"?, "answer"?, "trace"?}. Shape errors are reported with
// their JSON path; the configuration itself is left to parseConfig, as in the filter.
import { JsonKind, JsonValue } from "../json/value";
import { jsonText } from "./json_text";

export class Answer {
  /** null: the call failed (no answer headers), as decideAnswer expects */
  constructor(public status: string | null, public rejectionReason: string | null) {}
}

export class Document {
  configText: string = "";
  /** flat [name, value, ...] in the given order; null when only the configuration is checked */
  headers: Array<string> | null = null;
  metadata: JsonValue | null = null;
  answer: Answer | null = null;
  /** whether the result carries decide's trace (wasi/trace.ts) */
  trace: bool = false;
  /** the first shape error, empty when the document is well formed */
  error: string = "";
}

const DOCUMENT_FIELDS: Array<string> = ["config", "request", "answer", "trace"];
const REQUEST_FIELDS: Array<string> = ["headers", "metadata"];
const ANSWER_FIELDS: Array<string> = ["status", "rejection_reason"];

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
  if (answer && !readAnswer(d, answer)) return d;
  const trace = v.get("trace");
  if (trace && trace.kind != JsonKind.Null) {
    if (trace.kind != JsonKind.Bool) failed(d, "trace: expected true or false");
    else d.trace = trace.bool;
  }
  return d;
}

function readRequest(d: Document, v: JsonValue): bool {
  if (!checkObject(d, v, "request", REQUEST_FIELDS)) return false;
  const headers = v.get("headers");
  if (!headers || headers.kind != JsonKind.Array) return failed(d, "request.headers: required, an array of [name, value]");
  const flat = new Array<string>();
  for (let i = 0; i < headers.length; i++) {
    const pair = headers.at(i);
    if (pair.kind != JsonKind.Array || pair.length != 2 || !pair.at(0).isString || !pair.at(1).isString) {
      return failed(d, "request.headers[" + i.toString() + "]: expected [name, value] strings");
    }
    flat.push(pair.at(0).text);
    flat.push(pair.at(1).text);
  }
  d.headers = flat;
  const metadata = v.get("metadata");
  if (metadata && metadata.kind != JsonKind.Null) {
    if (metadata.kind != JsonKind.Object) return failed(d, "request.metadata: expected an object (namespace → object)");
    d.metadata = metadata;
  }
  return true;
}

function readAnswer(d: Document, v: JsonValue): bool {
  if (!checkObject(d, v, "answer", ANSWER_FIELDS)) return false;
  const status = optionalString(d, v, "status");
  if (d.error.length > 0) return false;
  const reason = optionalString(d, v, "rejection_reason");
  if (d.error.length > 0) return false;
  d.answer = new Answer(status, reason);
  return true;
}

/** a string member, or null when absent or null; records an error for any other kind */
function optionalString(d: Document, v: JsonValue, name: string): string | null {
  const m = v.get(name);
  if (!m || m.kind == JsonKind.Null) return null;
  if (m.kind != JsonKind.String) failed(d, "answer." + name + ": expected a string or null");
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
