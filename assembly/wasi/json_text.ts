// JsonValue back to JSON text, for a configuration given as an object: parseConfig takes the
// text Envoy would hand the filter. Duplicate members and number lexemes survive unchanged,
// so validation sees what the user wrote.
import { JsonKind, JsonValue } from "../json/value";
import { addJsonString } from "../json/write";
import { StringBuilder } from "../text/builder";

export function jsonText(v: JsonValue): string {
  return write(v, new StringBuilder()).toString();
}

function write(v: JsonValue, out: StringBuilder): StringBuilder {
  if (v.kind == JsonKind.Null) return out.add("null");
  if (v.kind == JsonKind.Bool) return out.add(v.bool ? "true" : "false");
  if (v.kind == JsonKind.Number) return out.add(v.text);
  if (v.kind == JsonKind.String) return addJsonString(out, v.text);
  const isObject = v.kind == JsonKind.Object;
  out.addCode(isObject ? 0x7b : 0x5b);
  for (let i = 0; i < v.length; i++) {
    if (i > 0) out.addCode(0x2c);
    if (isObject) addJsonString(out, v.keyAt(i)).addCode(0x3a);
    write(v.at(i), out);
  }
  return out.addCode(isObject ? 0x7d : 0x5d);
}
