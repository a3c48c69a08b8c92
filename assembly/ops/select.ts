// The single-step selection rule (docs/operations.md §4.6, docs/configuration.md §8.3), shared by the
// `json`/`protobuf` operations and the `filter` lookup source.
import { JsonKind, JsonValue } from "../json/value";
import { parseIndex, parseRustFloat } from "./rust_num";

/**
 * The value `step` selects in `v`, or null:
 * object → the member named `step`, else — if `step` is "0" and the object has exactly one
 * member — that member; list → the element at `step` as an unsigned decimal index;
 * string → itself if equal; number → itself if `step` parses as that number (within f64
 * epsilon); bool → itself if `step` is "true"/"false" accordingly; null → nothing.
 * `""` is an ordinary step here; callers skip it where their rule says so.
 */
export function stepSelect(v: JsonValue, step: string): JsonValue | null {
  switch (v.kind) {
    case JsonKind.Object: {
      const member = v.get(step);
      return member != null || step != "0" ? member : soleMember(v);
    }
    case JsonKind.Array: {
      const i = parseIndex(step);
      return i >= 0 && i < v.length ? v.at(i) : null;
    }
    case JsonKind.String: return step == v.text ? v : null;
    case JsonKind.Number: return Math.abs(parseFloat(v.text) - parseRustFloat(step)) < f64.EPSILON ? v : null;
    case JsonKind.Bool: return step == (v.bool ? "true" : "false") ? v : null;
  }
  return null;
}

/** the first key, in order, that selects something (`keys` of the format operations) */
export function selectKeys(v: JsonValue, keys: Array<string>): JsonValue | null {
  for (let i = 0; i < keys.length; i++) {
    const found = stepSelect(v, keys[i]);
    if (found != null) return found;
  }
  return null;
}

/** follows `path`, skipping empty steps; null as soon as a step selects nothing */
export function walkPath(v: JsonValue, path: Array<string>): JsonValue | null {
  let current: JsonValue | null = v;
  for (let i = 0; i < path.length && current != null; i++) {
    if (path[i].length > 0) current = stepSelect(current, path[i]);
  }
  return current;
}

/** the value of an object's only member (duplicates of one name count once; the last wins) */
function soleMember(v: JsonValue): JsonValue | null {
  const n = v.length;
  if (n == 0) return null;
  const name = v.keyAt(0);
  for (let i = 1; i < n; i++) if (v.keyAt(i) != name) return null;
  return v.at(n - 1);
}
