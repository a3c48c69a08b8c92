// Unit entry: parse JSON and describe the result, to test the parser from vitest.
import { parseJson } from "../../../assembly/json/parse";
import { JsonKind, JsonValue } from "../../../assembly/json/value";
import { ConfigReader } from "../../../assembly/json/reader";

function show(v: JsonValue): string {
  switch (v.kind) {
    case JsonKind.Null: return "null";
    case JsonKind.Bool: return v.bool ? "true" : "false";
    case JsonKind.Number: return "#" + v.text;
    case JsonKind.String: return "'" + v.text + "'";
    case JsonKind.Array: {
      const parts = new Array<string>();
      for (let i = 0; i < v.length; i++) parts.push(show(v.at(i)));
      return "[" + parts.join(",") + "]";
    }
  }
  const parts = new Array<string>();
  for (let i = 0; i < v.length; i++) parts.push(v.keyAt(i) + ":" + show(v.at(i)));
  return "{" + parts.join(",") + "}";
}

export function parse(text: string): string {
  const r = parseJson(text);
  const v = r.value;
  return v ? show(v) : "error: " + r.error;
}

export function parseWithDepth(text: string, depth: i32): string {
  const r = parseJson(text, depth);
  const v = r.value;
  return v ? show(v) : "error: " + r.error;
}

/** reads `text` (a JSON value) with one of the reader's typed getters */
export function read(kind: string, text: string): string {
  const v = parseJson(text).value;
  if (!v) return "bad json";
  const r = new ConfigReader();
  let out = "";
  if (kind == "size") out = r.size(v, "f").toString();
  else if (kind == "index") out = r.index(v, "f").toString();
  else if (kind == "u64") out = r.unsigned(v, "f").toString();
  else if (kind == "i64") out = r.signed(v, "f").toString();
  else if (kind == "strList") out = r.strList(v, "f").join("|");
  else if (kind == "object") out = r.object(v, "f") ? "object" : "";
  return r.failed ? "error: " + r.error : out;
}
