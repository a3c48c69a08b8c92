// Typed reading of configuration JSON with errors that name the field path, e.g.
// `services[1].credentials.app_key[0].query_string.keys: expected a list of strings`.
// Getters never trap: on a type error they record the first error and return a neutral
// value, so parsing code reads straight through and checks `failed` where it matters.
import { JsonKind, JsonValue } from "./value";
import { readInteger } from "./number";
import { joinStrings } from "../text/builder";

// Paths are built for every list element and some members of a configuration (thousands of
// mapping rules), so each is one allocation, without the intermediate strings of `+`.

export function fieldPath(path: string, name: string): string {
  if (path.length == 0) return name;
  const out = allocString(path.length + 1 + name.length);
  copyInto(out, 0, path);
  store<u16>(changetype<usize>(out) + (<usize>path.length << 1), 0x2e); // .
  copyInto(out, path.length + 1, name);
  return out;
}

export function indexPath(path: string, i: i32): string {
  const magnitude = i < 0 ? -(<i64>i) : <i64>i;
  let digits = 1;
  for (let rest = magnitude; rest >= 10; rest /= 10) digits++;
  const sign = i < 0 ? 1 : 0;
  const out = allocString(path.length + 2 + sign + digits);
  copyInto(out, 0, path);
  const base = changetype<usize>(out) + (<usize>path.length << 1);
  store<u16>(base, 0x5b); // [
  if (sign) store<u16>(base + 2, 0x2d); // -
  let rest = magnitude;
  for (let d = sign + digits; d > sign; d--) {
    store<u16>(base + (<usize>d << 1), <u16>(0x30 + rest % 10));
    rest /= 10;
  }
  store<u16>(base + (<usize>(sign + digits + 1) << 1), 0x5d); // ]
  return out;
}

function allocString(length: i32): string {
  return changetype<string>(__new(<usize>length << 1, idof<string>()));
}

function copyInto(out: string, at: i32, s: string): void {
  memory.copy(changetype<usize>(out) + (<usize>at << 1), changetype<usize>(s), <usize>s.length << 1);
}

export function describe(v: JsonValue): string {
  switch (v.kind) {
    case JsonKind.Null: return "null";
    case JsonKind.Bool: return v.bool ? "true" : "false";
    case JsonKind.Number: return "number " + v.text;
    case JsonKind.String: return "string";
    case JsonKind.Array: return "list";
  }
  return "object";
}

export class ConfigReader {
  error: string = "";
  warnings: Array<string> = new Array<string>();

  get failed(): bool { return this.error.length > 0; }

  /** records an error; only the first one is kept (it is the one the user must fix first) */
  fail(path: string, message: string): void {
    if (this.error.length == 0) this.error = (path.length == 0 ? "configuration" : path) + ": " + message;
  }

  warn(path: string, message: string): void {
    this.warnings.push((path.length == 0 ? "configuration" : path) + ": " + message);
  }

  // `name`, when given, is the member of `path` being read: its path is built only for an error
  // (a configuration with thousands of mapping rules would otherwise build thousands of them).
  private mismatch(v: JsonValue, path: string, expected: string, name: string = ""): void {
    this.fail(name.length == 0 ? path : fieldPath(path, name), "expected " + expected + ", found " + describe(v));
  }

  // --- values -------------------------------------------------------------------------

  /** an object without duplicate member names, or null (error recorded) */
  object(v: JsonValue, path: string): JsonValue | null {
    if (v.kind != JsonKind.Object) { this.mismatch(v, path, "an object"); return null; }
    const dup = v.duplicateKey();
    if (dup != null) { this.fail(fieldPath(path, dup), "duplicate field `" + dup + "`"); return null; }
    return v;
  }

  list(v: JsonValue, path: string): JsonValue | null {
    if (v.kind != JsonKind.Array) { this.mismatch(v, path, "a list"); return null; }
    return v;
  }

  str(v: JsonValue, path: string, name: string = ""): string {
    if (v.kind != JsonKind.String) { this.mismatch(v, path, "a string", name); return ""; }
    return v.text;
  }

  bool(v: JsonValue, path: string, name: string = ""): bool {
    if (v.kind != JsonKind.Bool) { this.mismatch(v, path, "a boolean", name); return false; }
    return v.bool;
  }

  /** unsigned integer within [min, max] (u64 by default) */
  unsigned(v: JsonValue, path: string, max: u64 = U64.MAX_VALUE, min: u64 = 0): u64 {
    if (v.kind == JsonKind.Number) {
      const n = readInteger(v.text);
      if (n.ok && !n.negative && n.magnitude <= max && n.magnitude >= min) return n.magnitude;
    }
    const range = min > 0 ? "an integer between " + min.toString() + " and " + max.toString()
      : "a non-negative integer" + (max == U64.MAX_VALUE ? "" : " not above " + max.toString());
    this.mismatch(v, path, range);
    return 0;
  }

  /** size (the reference's 32-bit usize) */
  size(v: JsonValue, path: string): u32 {
    return <u32>this.unsigned(v, path, <u64>U32.MAX_VALUE);
  }

  /** signed integer within [min, max] */
  signed(v: JsonValue, path: string, min: i64 = I64.MIN_VALUE, max: i64 = I64.MAX_VALUE, name: string = ""): i64 {
    if (v.kind == JsonKind.Number) {
      const n = readInteger(v.text);
      if (n.ok) {
        if (!n.negative && n.magnitude <= <u64>max) return <i64>n.magnitude;
        // -(magnitude) fits when magnitude ≤ -min; compare as u64 to avoid overflow
        if (n.negative && n.magnitude <= <u64>(-(min + 1)) + 1) return <i64>(0 - n.magnitude);
      }
    }
    this.mismatch(v, path, "an integer between " + min.toString() + " and " + max.toString(), name);
    return 0;
  }

  /** index (the reference's 32-bit isize) */
  index(v: JsonValue, path: string): i32 {
    return <i32>this.signed(v, path, <i64>I32.MIN_VALUE, <i64>I32.MAX_VALUE);
  }

  /** a list whose elements `parse` reads; stops at the first element that fails */
  listOf<T>(v: JsonValue, path: string, parse: (v: JsonValue, path: string, r: ConfigReader) => T | null): Array<T> {
    const out = new Array<T>();
    const list = this.list(v, path);
    if (!list) return out;
    for (let i = 0; i < list.length; i++) {
      const item = parse(list.at(i), indexPath(path, i), this);
      if (item == null) return out;
      out.push(item);
    }
    return out;
  }

  strList(v: JsonValue, path: string): Array<string> {
    const out = new Array<string>();
    if (v.kind != JsonKind.Array) { this.mismatch(v, path, "a list of strings"); return out; }
    for (let i = 0; i < v.length; i++) {
      const e = v.at(i);
      if (e.kind != JsonKind.String) {
        this.fail(indexPath(path, i), "expected a string, found " + describe(e) + " (" + path + " must be a list of strings)");
        return out;
      }
      out.push(e.text);
    }
    return out;
  }

  /** one of the exact strings in `choices` */
  choice(v: JsonValue, path: string, choices: Array<string>, hint: string = ""): string {
    if (v.kind == JsonKind.String && choices.includes(v.text)) return v.text;
    const shown = v.kind == JsonKind.String ? "`" + v.text + "`" : describe(v);
    this.fail(path, "unknown variant " + shown + ", expected one of " + joinStrings(choices, ", ") + hint);
    return "";
  }

  // --- object members -----------------------------------------------------------------

  /** rejects members whose names are not in `allowed` */
  onlyFields(obj: JsonValue, path: string, allowed: Array<string>): void {
    for (let i = 0; i < obj.length; i++) {
      const k = obj.keyAt(i);
      if (!allowed.includes(k)) {
        this.fail(fieldPath(path, k), "unknown field `" + k + "`, expected one of " + joinStrings(allowed, ", "));
        return;
      }
    }
  }

  /** a required member; records `missing field` when absent */
  required(obj: JsonValue, path: string, name: string): JsonValue | null {
    const v = obj.get(name);
    if (v == null) this.fail(path, "missing field `" + name + "`");
    return v;
  }

  /** a member that may be absent or null ("optional, nullable") */
  nullable(obj: JsonValue, name: string): JsonValue | null {
    const v = obj.get(name);
    return v == null || v.kind == JsonKind.Null ? null : v;
  }

  /** a member that may be absent (its default applies) but not null */
  defaulted(obj: JsonValue, path: string, name: string): JsonValue | null {
    const v = obj.get(name);
    if (v != null && v.kind == JsonKind.Null) {
      this.fail(fieldPath(path, name), "null is not allowed here (leave the field out to get its default)");
      return null;
    }
    return v;
  }
}
