// `json` / `protobuf` (docs/operations.md §4.6): parse the top value, follow `path`, select with
// `keys`, and push the selected value, which must be a string.
import { Budget } from "./budget";
import { selectKeys, walkPath } from "./select";
import { Op } from "./types";
import { JsonKind, JsonValue } from "../json/value";
import { parseJson } from "../json/parse";
import { decodeStruct } from "../proto/struct";

export class FormatOp extends Op {
  constructor(public protobuf: bool, public path: Array<string>, public keys: Array<string>) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    if (this.keys.length == 0) return null; // an empty key list never selects anything
    const input = stack.pop();
    const root = this.protobuf ? decodeStructText(input) : parseJsonLikeReference(input);
    if (root == null) return null;
    const at = walkPath(root, this.path);
    const selected = at != null ? selectKeys(at, this.keys) : null;
    if (selected == null || selected.kind != JsonKind.String) return null;
    return budget.emit(stack, selected.text, true) ? stack : null;
  }
}

/** the value's UTF-8 bytes as a google.protobuf.Struct */
function decodeStructText(input: string): JsonValue | null {
  const bytes = String.UTF8.encode(input);
  return decodeStruct(changetype<usize>(bytes), <usize>bytes.byteLength);
}

/**
 * JSON as the reference's serde_json accepts it: besides syntax and the 128-level depth limit
 * (parseJson), it refuses numbers beyond the f64 range and `\u` escapes leaving a lone
 * surrogate (Rust strings are valid Unicode).
 */
function parseJsonLikeReference(input: string): JsonValue | null {
  const root = parseJson(input).value;
  return root != null && representable(root) ? root : null;
}

// recursion is bounded by parseJson's depth limit
function representable(v: JsonValue): bool {
  switch (v.kind) {
    case JsonKind.Number: return isFinite(parseFloat(v.text));
    case JsonKind.String: return !hasLoneSurrogate(v.text);
    case JsonKind.Array:
    case JsonKind.Object: {
      for (let i = 0; i < v.length; i++) {
        if (!representable(v.at(i))) return false;
        if (v.kind == JsonKind.Object && hasLoneSurrogate(v.keyAt(i))) return false;
      }
      return true;
    }
  }
  return true;
}

function hasLoneSurrogate(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00 || i + 1 == s.length) return true;
    const d = s.charCodeAt(i + 1);
    if (d < 0xdc00 || d > 0xdfff) return true;
    i++;
  }
  return false;
}
