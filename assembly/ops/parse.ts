// Configuration → typed operations (docs/operations.md §2). An element of an `ops` list is a bare
// name or an object with exactly one key, the name, whose value is the parameter. The names (the
// reference's 44 plus our `base64_urlsafe_optional_padding`) are exact (no aliases, no category
// wrapping). Any malformed operation, at any depth, rejects the configuration with the path and
// the problem — where the reference only says "data did not match any variant of untagged enum
// Operation".
import { ConfigReader, describe, fieldPath, indexPath } from "../json/reader";
import { JsonKind, JsonValue } from "../json/value";
import { compileGlob, Glob } from "../glob/glob";
import { Base64Op } from "./base64";
import { ChainCheckOp, ConstOp, CountOp } from "./check_ops";
import { AndOp, ChoiceOp, ClonedOp, LogOp, PartialOp, TestOp } from "./control_ops";
import { FormatOp } from "./format_ops";
import { openParams, Params, readIndex } from "./parse_params";
import {
  ContainsOp, DupOp, EachOp, IndexesOp, JoinOp, LengthOp, PopOp, PushOp, ReverseOp, SwapOp, TakeDropOp, ValuesOp, XchgOp,
} from "./stack_ops";
import { Affix, AffixOp, GlobOp, ReplaceOp, SplitOp, StrlenOp, StrrevOp } from "./string_ops";
import { Op, Placement, UNSET } from "./types";
import { LogLevel } from "../runtime/log";
import { joinStrings } from "../text/builder";

const LEVELS = ["trace", "debug", "info", "warn", "error", "critical"]; // LogLevel order
const PLACEMENTS = ["append", "prepend"]; // Placement order
const MODES = ["utf8", "Bytes"];

const CATEGORIES = ["decode", "string", "stack", "check", "control", "format"];

/** how an operation takes its parameter (docs/operations.md §2.1) */
enum Shape { Unknown, None, Value, Optional, Object }

function shapeOf(name: string): Shape {
  switch (name) {
    case "base64_standard": case "base64_urlsafe": case "base64_urlsafe_optional_padding":
    case "strrev": case "reverse": case "ok": case "fail":
      return Shape.None;
    case "join": case "contains": case "push": case "xchg": case "prefix": case "suffix": case "substr": case "glob":
    case "indexes": case "flat_map": case "select": case "any": case "one_of": case "all": case "none": case "assert":
    case "refute": case "and": case "or": case "xor": case "top":
      return Shape.Value;
    case "pop": case "dup":
      return Shape.Optional;
    case "strlen": case "split": case "rsplit": case "replace": case "length": case "take": case "drop": case "swap":
    case "values": case "test": case "cloned": case "partial": case "log": case "json": case "protobuf":
      return Shape.Object;
  }
  return Shape.Unknown;
}

/** a list of operations at `path`; on error the reader holds the message (the result is then unusable) */
export function parseOps(v: JsonValue, path: string, r: ConfigReader): Array<Op> {
  const ops = new Array<Op>();
  if (r.list(v, path) == null) return ops;
  for (let i = 0; i < v.length && !r.failed; i++) {
    const op = parseOp(v.at(i), indexPath(path, i), r);
    if (op != null) ops.push(op);
  }
  return ops;
}

/** one operation: `"name"` or `{"name": parameter}` */
export function parseOp(v: JsonValue, path: string, r: ConfigReader): Op | null {
  if (v.kind == JsonKind.String) return build(v.text, null, path, r);
  if (v.kind != JsonKind.Object) {
    r.fail(path, "expected an operation, i.e. a name such as \"reverse\" or an object such as {\"split\": {}}, found " + describe(v));
    return null;
  }
  if (r.object(v, path) == null) return null;
  if (v.length != 1) {
    r.fail(path, "an operation object must have exactly one key, the operation name; found " +
      (v.length == 0 ? "none" : v.length.toString() + " (" + joinStrings(v.keys as Array<string>, ", ") + ")"));
    return null;
  }
  return build(v.keyAt(0), v.at(0), path, r);
}

/** `param` is null for the bare-name form */
function build(name: string, param: JsonValue | null, path: string, r: ConfigReader): Op | null {
  const shape = shapeOf(name);
  const p = fieldPath(path, name);
  if (shape == Shape.Unknown) {
    unknownOperation(name, path, r);
    return null;
  }
  if (shape == Shape.None) {
    if (param == null || param.kind == JsonKind.Null) return withoutParam(name);
    r.fail(p, "`" + name + "` takes no parameter: write \"" + name + "\" or {\"" + name + "\": null}, found " + describe(param));
    return null;
  }
  if (param == null) {
    const example = shape == Shape.Object ? "{}" : shape == Shape.Optional ? "null" : "...";
    r.fail(path, "`" + name + "` needs a parameter: write {\"" + name + "\": " + example + "}");
    return null;
  }
  if (shape == Shape.Value) return withValue(name, param, p, r);
  if (shape == Shape.Optional) return withOptional(name, param, p, r);
  return withParams(name, param, p, r);
}

function withoutParam(name: string): Op {
  if (name == "strrev") return new StrrevOp();
  if (name == "reverse") return new ReverseOp();
  if (name == "ok" || name == "fail") return new ConstOp(name == "ok");
  return new Base64Op(name != "base64_standard", name == "base64_urlsafe_optional_padding");
}

/** operations taking a single value: a string, a list of patterns, indexes or operations */
function withValue(name: string, v: JsonValue, p: string, r: ConfigReader): Op {
  switch (name) {
    case "join": return new JoinOp(r.str(v, p));
    case "contains": return new ContainsOp(r.str(v, p));
    case "push": return new PushOp(r.str(v, p));
    case "xchg": return new XchgOp(r.str(v, p));
    case "prefix": return new AffixOp(Affix.Prefix, r.str(v, p));
    case "suffix": return new AffixOp(Affix.Suffix, r.str(v, p));
    case "substr": return new AffixOp(Affix.Substr, r.str(v, p));
    case "glob": return new GlobOp(globs(v, p, r));
    case "indexes": return new IndexesOp(indexes(v, p, r));
  }
  const ops = parseOps(v, p, r);
  const n = ops.length;
  switch (name) {
    case "flat_map": case "select": return new EachOp(ops, name == "select");
    case "any": return new CountOp(ops, 1, n);
    case "one_of": return new CountOp(ops, 1, 1);
    case "all": return new CountOp(ops, n, n);
    case "none": return new CountOp(ops, 0, 0);
    case "assert": case "refute": return new ChainCheckOp(ops, name == "assert");
    case "and": return new AndOp(ops);
    case "or": case "xor": return new ChoiceOp(ops, name == "xor");
  }
  return new PartialOp(ops, Placement.Append, UNSET); // top
}

/** `pop` (size, default 1) and `dup` (index, default -1): null means the default */
function withOptional(name: string, v: JsonValue, p: string, r: ConfigReader): Op {
  const given = v.kind != JsonKind.Null;
  if (name == "pop") return new PopOp(given ? r.size(v, p) : 1);
  return new DupOp(given ? readIndex(r, v, p) : -1);
}

/** operations taking a parameter object (or its positional list) */
function withParams(name: string, v: JsonValue, p: string, r: ConfigReader): Op | null {
  if (name == "strlen") {
    const f = openParams(r, name, p, v, ["min", "max", "mode"], 2);
    if (f == null) return null;
    const op = new StrlenOp(f.size(0), f.size(1));
    f.choice(2, MODES, 0); // validated only: both modes count bytes
    return op;
  }
  if (name == "split" || name == "rsplit") {
    const f = openParams(r, name, p, v, ["separator", "max"], 2);
    return f == null ? null : new SplitOp(name == "rsplit", f.strOr(0, ":"), sizeOrZero(f, 1));
  }
  if (name == "replace") {
    const f = openParams(r, name, p, v, ["pattern", "with", "max"], 3);
    return f == null ? null : new ReplaceOp(f.str(0), f.str(1), sizeOrZero(f, 2));
  }
  if (name == "length") {
    const f = openParams(r, name, p, v, ["min", "max"], 2);
    return f == null ? null : new LengthOp(f.size(0), f.size(1));
  }
  if (name == "take" || name == "drop") {
    const f = openParams(r, name, p, v, ["head", "tail"], 2);
    return f == null ? null : new TakeDropOp(name == "take", f.size(0), f.size(1));
  }
  if (name == "swap") {
    const f = openParams(r, name, p, v, ["from", "to"], 2);
    return f == null ? null : new SwapOp(f.index(0), f.index(1));
  }
  if (name == "values") {
    const f = openParams(r, name, p, v, ["level", "id"], 2);
    return f == null ? null : new ValuesOp(f.choice(0, LEVELS, LogLevel.Info), f.optStr(1));
  }
  if (name == "log") {
    const f = openParams(r, name, p, v, ["level", "msg"], 2);
    return f == null ? null : new LogOp(f.choice(0, LEVELS, LogLevel.Info), f.str(1));
  }
  if (name == "test") {
    const f = openParams(r, name, p, v, ["if", "then", "else"], 2);
    if (f == null) return null;
    const condition = singleOp(f, 0, r);
    const then = parseOps(f.required(1), f.at(1), r);
    const otherwise = opsOr(f, 2, r);
    return condition != null ? new TestOp(condition, then, otherwise) : null;
  }
  if (name == "cloned") {
    const f = openParams(r, name, p, v, ["result", "ops"], 2);
    if (f == null) return null;
    const placement = f.choice(0, PLACEMENTS, Placement.Append);
    return new ClonedOp(parseOps(f.required(1), f.at(1), r), placement);
  }
  if (name == "partial") {
    const f = openParams(r, name, p, v, ["result", "ops", "max"], 3);
    if (f == null) return null;
    const placement = f.choice(0, PLACEMENTS, Placement.Append);
    const ops = parseOps(f.required(1), f.at(1), r);
    return new PartialOp(ops, placement, f.size(2));
  }
  // json, protobuf
  if (v.kind == JsonKind.Array && v.length > 0 && v.at(0).kind == JsonKind.Object) {
    r.fail(p, "the list form of `" + name + "` is positional, [path, keys], so it cannot hold an object; " +
      "write the parameters as an object instead: {\"" + name + "\": {\"keys\": [...]}}");
    return null;
  }
  const f = openParams(r, name, p, v, ["path", "keys"], 2);
  return f == null ? null : new FormatOp(name == "protobuf", f.strListOr(0), f.strList(1));
}

function sizeOrZero(f: Params, i: i32): u32 {
  const n = f.size(i);
  return n == UNSET ? 0 : <u32>n;
}

function opsOr(f: Params, i: i32, r: ConfigReader): Array<Op> {
  const v = f.defaulted(i);
  return v != null ? parseOps(v, f.at(i), r) : new Array<Op>();
}

/** `test.if`: one operation, not a list */
function singleOp(f: Params, i: i32, r: ConfigReader): Op | null {
  const v = f.required(i);
  if (v.kind == JsonKind.Array) {
    r.fail(f.at(i), "expected a single operation, found a list (to chain several, wrap them: {\"and\": [...]})");
    return null;
  }
  return parseOp(v, f.at(i), r);
}

function globs(v: JsonValue, p: string, r: ConfigReader): Array<Glob> {
  const patterns = r.strList(v, p);
  const out = new Array<Glob>();
  for (let i = 0; i < patterns.length && !r.failed; i++) {
    const compiled = compileGlob(patterns[i]);
    const glob = compiled.glob;
    if (glob != null) out.push(glob);
    else r.fail(indexPath(p, i), compiled.error);
  }
  return out;
}

function indexes(v: JsonValue, p: string, r: ConfigReader): Array<i32> {
  const out = new Array<i32>();
  if (r.list(v, p) == null) return out;
  for (let i = 0; i < v.length && !r.failed; i++) out.push(readIndex(r, v.at(i), indexPath(p, i)));
  return out;
}

function unknownOperation(name: string, path: string, r: ConfigReader): void {
  if (CATEGORIES.includes(name)) {
    r.fail(path, "unknown operation `" + name + "`: categories are not part of the syntax, write the operation itself " +
      "(e.g. \"base64_urlsafe\", not {\"decode\": \"base64_urlsafe\"})");
    return;
  }
  const lower = name.toLowerCase();
  if (shapeOf(lower) != Shape.Unknown) {
    r.fail(path, "unknown operation `" + name + "` (did you mean `" + lower + "`? operation names are case-sensitive)");
    return;
  }
  r.fail(path, "unknown operation `" + name + "`");
}
