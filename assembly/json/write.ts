// Minimal JSON writing for the few documents the filter emits (e.g. x-3scale-usages).
import { StringBuilder } from "../text/builder";

const HEX = "0123456789abcdef";

/** `s` as a JSON string literal */
export function jsonString(s: string): string {
  return addJsonString(new StringBuilder(s.length + 2), s).toString();
}

/** appends `s` as a JSON string literal */
export function addJsonString(out: StringBuilder, s: string): StringBuilder {
  out.addCode(0x22);
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    out.addRange(s, start, i);
    if (c == 0x22) out.add("\\\"");
    else if (c == 0x5c) out.add("\\\\");
    else if (c == 0x0a) out.add("\\n");
    else if (c == 0x0d) out.add("\\r");
    else if (c == 0x09) out.add("\\t");
    else out.add("\\u00").addCode(HEX.charCodeAt(c >> 4)).addCode(HEX.charCodeAt(c & 15));
    start = i + 1;
  }
  return out.addRange(s, start, s.length).addCode(0x22);
}
