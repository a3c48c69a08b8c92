// Reading an operation's parameter object (docs/operations.md §2.2–§2.3). The object may also be
// written positionally, as a list of its field values in canonical order; both forms are read
// through one accessor so every operation declares its fields once.
//   optional  — absent or null: not set
//   defaulted — absent: the default; null is rejected
//   required  — must be present and non-null
import { ConfigReader, describe, fieldPath, indexPath } from "../json/reader";
import { JsonKind, JsonValue } from "../json/value";
import { UNSET } from "./types";
import { joinStrings } from "../text/builder";

export class Params {
  constructor(
    private r: ConfigReader,
    private path: string,
    private names: Array<string>,
    private value: JsonValue,
  ) {}

  private get positional(): bool { return this.value.kind == JsonKind.Array; }

  /** path of field i, as the user wrote it (`split.max` or `split[1]`) */
  at(i: i32): string {
    return this.positional ? indexPath(this.path, i) : fieldPath(this.path, this.names[i]);
  }

  private raw(i: i32): JsonValue | null {
    if (!this.positional) return this.value.get(this.names[i]);
    return i < this.value.length ? this.value.at(i) : null;
  }

  optional(i: i32): JsonValue | null {
    const v = this.raw(i);
    return v != null && v.kind != JsonKind.Null ? v : null;
  }

  defaulted(i: i32): JsonValue | null {
    const v = this.raw(i);
    if (v != null && v.kind == JsonKind.Null) {
      this.r.fail(this.at(i), "null is not allowed here (leave `" + this.names[i] + "` out to get its default)");
      return null;
    }
    return v;
  }

  /** the value, null included (the typed read then reports "found null") */
  required(i: i32): JsonValue {
    const v = this.raw(i);
    if (v != null) return v;
    this.r.fail(this.path, "missing field `" + this.names[i] + "`");
    return JsonValue.null();
  }

  // --- typed reads ----------------------------------------------------------------------

  /** optional size, UNSET when not given */
  size(i: i32): i64 {
    const v = this.optional(i);
    return v != null ? <i64>this.r.size(v, this.at(i)) : UNSET;
  }

  index(i: i32): i32 {
    return readIndex(this.r, this.required(i), this.at(i));
  }

  str(i: i32): string {
    return this.r.str(this.required(i), this.at(i));
  }

  strOr(i: i32, fallback: string): string {
    const v = this.defaulted(i);
    return v != null ? this.r.str(v, this.at(i)) : fallback;
  }

  optStr(i: i32): string | null {
    const v = this.optional(i);
    return v != null ? this.r.str(v, this.at(i)) : null;
  }

  strList(i: i32): Array<string> {
    return this.r.strList(this.required(i), this.at(i));
  }

  strListOr(i: i32): Array<string> {
    const v = this.defaulted(i);
    return v != null ? this.r.strList(v, this.at(i)) : new Array<string>();
  }

  /** position of a defaulted choice in `choices` (exact spelling); `fallback` when absent */
  choice(i: i32, choices: Array<string>, fallback: i32): i32 {
    const v = this.defaulted(i);
    if (v == null) return fallback;
    const picked = this.r.choice(v, this.at(i), choices, spellingHint(v, choices));
    return max(0, choices.indexOf(picked));
  }
}

/**
 * Opens the parameters of `op` at `path`: an object (unknown fields ignored, with a warning
 * since they are usually typos) or a list of `minLength`…names.length positional values.
 */
export function openParams(r: ConfigReader, op: string, path: string, value: JsonValue, names: Array<string>, minLength: i32): Params | null {
  const shape = "[" + joinStrings(names, ", ") + "]";
  if (value.kind == JsonKind.Object) {
    if (r.object(value, path) == null) return null;
    for (let i = 0; i < value.length; i++) {
      const k = value.keyAt(i);
      if (!names.includes(k)) r.warn(fieldPath(path, k), "unknown field `" + k + "` ignored (`" + op + "` takes " + joinStrings(names, ", ") + ")");
    }
  } else if (value.kind == JsonKind.Array) {
    const n = value.length;
    if (n < minLength || n > names.length) {
      const counts = minLength == names.length ? minLength.toString() : minLength.toString() + " to " + names.length.toString();
      r.fail(path, "the list form of `" + op + "` is positional, " + shape + ", and needs " + counts + " values, found " + n.toString() +
        " (optional fields must be written as null; or use the object form)");
      return null;
    }
  } else {
    r.fail(path, "expected the parameters of `" + op + "` as an object {" + joinStrings(names, ", ") + "} or a positional list " + shape + ", found " + describe(value));
    return null;
  }
  return new Params(r, path, names, value);
}

/** an index (isize); negative ones get a warning, as they rarely do what the docs promise */
export function readIndex(r: ConfigReader, v: JsonValue, path: string): i32 {
  const n = r.index(v, path);
  if (n < 0) {
    r.warn(path, "negative index " + n.toString() + ": like the reference, it is valid only when the number of values divides it, " +
      "and then it designates the bottom value (not the top)");
  }
  return n;
}

/** for a wrongly spelled choice, the accepted spelling it matches case-insensitively */
function spellingHint(v: JsonValue, choices: Array<string>): string {
  if (v.kind != JsonKind.String) return "";
  const lower = v.text.toLowerCase();
  for (let i = 0; i < choices.length; i++) {
    if (choices[i] != v.text && choices[i].toLowerCase() == lower) return " (did you mean `" + choices[i] + "`? spellings are case-sensitive)";
  }
  return "";
}
