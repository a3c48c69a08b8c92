// JsonValue back to JSON text, for a configuration given as an object: parseConfig takes the
// text Envoy would hand the filter. Duplicate members and number lexemes survive unchanged,
// so validation sees what the user wrote.
import { JsonKind, JsonValue } from "../json/value";
import { jsonString } from "../json/write";

export function jsonText(v: JsonValue): string {
  const out = new Array<string>();
  write(v, out);
  return out.join("");
}

function write(v: JsonValue, out: Array<string>): void {
  if (v.kind == JsonKind.Null) out.push("null");
  else if (v.kind == JsonKind.Bool) out.push(v.bool ? "true" : "false");
  else if (v.kind == JsonKind.Number) out.push(v.text);
  else if (v.kind == JsonKind.String) out.push(jsonString(v.text));
  else {
    const isObject = v.kind == JsonKind.Object;
    out.push(isObject ? "{" : "[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(",");
      if (isObject) out.push(jsonString(v.keyAt(i)) + ":");
      write(v.at(i), out);
    }
    out.push(isObject ? "}" : "]");
  }
}
