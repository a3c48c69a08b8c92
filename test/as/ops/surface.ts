// Shared unit-test surface for the ops, glob and proto modules: JSON text in, JSON text out,
// so vitest can drive them with plain strings. Each test file has its own entry re-exporting
// this, so that files running in parallel never write the same build output.
import { ConfigReader } from "../../../assembly/json/reader";
import { parseJson } from "../../../assembly/json/parse";
import { JsonKind, JsonValue } from "../../../assembly/json/value";
import { parseOps } from "../../../assembly/ops/parse";
import { runOps } from "../../../assembly/ops/run";
import { stepSelect } from "../../../assembly/ops/select";
import { compileGlob } from "../../../assembly/glob/glob";
import { decodeMetadata, decodeStruct } from "../../../assembly/proto/struct";
import { setLogSink, setLogThreshold } from "../../../assembly/runtime/log";

// --- JSON rendering -----------------------------------------------------------------------

const HEX = "0123456789abcdef";

/** a JSON string literal; non-ASCII is written as \u escapes so lone surrogates survive */
export function quote(s: string): string {
  const parts = new Array<string>();
  parts.push("\"");
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22) parts.push("\\\"");
    else if (c == 0x5c) parts.push("\\\\");
    else if (c >= 0x20 && c < 0x7f) parts.push(String.fromCharCode(c));
    else parts.push("\\u" + HEX.charAt((c >> 12) & 15) + HEX.charAt((c >> 8) & 15) + HEX.charAt((c >> 4) & 15) + HEX.charAt(c & 15));
  }
  parts.push("\"");
  return parts.join("");
}

function render(v: JsonValue): string {
  switch (v.kind) {
    case JsonKind.Null: return "null";
    case JsonKind.Bool: return v.bool ? "true" : "false";
    case JsonKind.Number: return "{\"$number\":" + quote(v.text) + "}";
    case JsonKind.String: return quote(v.text);
    case JsonKind.Array: {
      const parts = new Array<string>();
      for (let i = 0; i < v.length; i++) parts.push(render(v.at(i)));
      return "[" + parts.join(",") + "]";
    }
  }
  const parts = new Array<string>();
  for (let i = 0; i < v.length; i++) parts.push(quote(v.keyAt(i)) + ":" + render(v.at(i)));
  return "{" + parts.join(",") + "}";
}

function renderList(values: Array<string>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = quote(values[i]);
  return "[" + parts.join(",") + "]";
}

// --- operations ----------------------------------------------------------------------------

/**
 * Parses `opsJson` as the `ops` at `path` and runs it on `stackJson` (a JSON list of strings).
 * Result JSON: {"config_error": msg, "warnings": [...]} | {"fail": true, ...} | {"stack": [...], ...}
 */
export function run(opsJson: string, stackJson: string, path: string): string {
  const r = new ConfigReader();
  const parsed = parseJson(opsJson).value;
  if (parsed == null) return "{\"harness_error\":\"ops JSON\"}";
  const ops = parseOps(parsed, path, r);
  const warnings = ",\"warnings\":" + renderList(r.warnings);
  if (r.failed) return "{\"config_error\":" + quote(r.error) + warnings + "}";
  const input = parseJson(stackJson).value;
  if (input == null || input.kind != JsonKind.Array) return "{\"harness_error\":\"stack JSON\"}";
  const stack = new Array<string>();
  for (let i = 0; i < input.length; i++) stack.push(input.at(i).text);
  const out = runOps(ops, stack);
  return out == null ? "{\"fail\":true" + warnings + "}" : "{\"stack\":" + renderList(out) + warnings + "}";
}

/** runs one parsed pipeline `times` times on fresh copies of the stack (no leak, no trap) */
export function repeat(opsJson: string, stackJson: string, times: i32): string {
  let last = "";
  for (let i = 0; i < times; i++) last = run(opsJson, stackJson, "ops");
  return last;
}

// --- logging -------------------------------------------------------------------------------

let captured = new Array<string>();

function capture(level: i32, message: string): void {
  captured.push(level.toString() + " " + message);
}

export function captureLogs(threshold: i32): void {
  setLogSink(capture);
  setLogThreshold(threshold);
  captured = new Array<string>();
}

export function takeLogs(): string {
  const out = renderList(captured);
  captured = new Array<string>();
  return out;
}

// --- glob ----------------------------------------------------------------------------------

/** "error: …" when the pattern is rejected, else "true"/"false" */
export function globMatch(pattern: string, subject: string): string {
  const compiled = compileGlob(pattern);
  const glob = compiled.glob;
  if (glob == null) return "error: " + compiled.error;
  return glob.matches(subject) ? "true" : "false";
}

// --- protobuf --------------------------------------------------------------------------------

function bytesOf(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function structFromHex(hex: string): string {
  const bytes = bytesOf(hex);
  const v = decodeStruct(bytes.dataStart, <usize>bytes.length);
  return v == null ? "null" : render(v);
}

export function metadataFromHex(hex: string): string {
  const bytes = bytesOf(hex);
  const v = decodeMetadata(bytes.dataStart, <usize>bytes.length);
  return v == null ? "null" : render(v);
}

// --- selection -------------------------------------------------------------------------------

/** stepSelect on a JSON document: the selected value rendered, or "none" */
export function step(json: string, stepText: string): string {
  const v = parseJson(json).value;
  if (v == null) return "bad json";
  const selected = stepSelect(v, stepText);
  return selected == null ? "none" : render(selected);
}
