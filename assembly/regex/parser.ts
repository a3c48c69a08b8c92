// Pattern syntax -> syntax tree (the dialect is described in regex.ts). Iterative: an explicit
// stack of open groups, no recursion.
import { Kind, Node, UNBOUNDED, alternate, classNode, concat, group, leaf, literals, repeat } from "./ast";
import { parseClass } from "./class_parser";
import { Cursor } from "./cursor";
import {
  DECIMAL_INVALID, FLAGS_UNSUPPORTED, GROUP_NAME_DUPLICATE, GROUP_NAME_EMPTY, GROUP_NAME_EOF,
  GROUP_NAME_INVALID, GROUP_UNCLOSED, GROUP_UNOPENED, LOOK_AROUND, REPETITION_COUNT_INVALID,
  REPETITION_DECIMAL, REPETITION_MISSING, REPETITION_UNCLOSED,
} from "./errors";
import { EscapeKind, isAsciiAlphanumeric, parseEscape } from "./escape";
import { NEST_LIMIT, NEST_LIMIT_EXCEEDED } from "./limits";

export class ParseResult {
  constructor(public node: Node | null, public error: string) {}
}

// Scratch shared by every parse, so that reading a pattern allocates little besides its tree:
// the items of the alternatives in progress (innermost group last), the finished alternatives,
// the literal characters not yet made a node (only the innermost group has any), the open
// groups and the capture names seen.
let items = new Array<Node>();
let branches = new Array<Node>();
let run = new Array<i32>();
let open = new Array<Frame>();
let names = new Array<string>();
/** scratch grown past this for one pattern is replaced afterwards, not kept allocated */
const SCRATCH_KEPT = 1024;

// A group being read: where its items and finished alternatives start in the scratch.
class Frame {
  constructor(public items: i32, public branches: i32) {}

  literal(cp: i32): void {
    run.push(cp);
  }

  item(node: Node): void {
    this.flush();
    items.push(node);
  }

  /** the last item, removed, for a repetition to apply to (of a run, its last character); null if none */
  takeLast(): Node | null {
    if (run.length > 0) {
      const cp = run.pop();
      this.flush();
      return leaf(Kind.Literal, cp);
    }
    return items.length == this.items ? null : items.pop();
  }

  endBranch(): void {
    this.flush();
    branches.push(concat(takeFrom(items, this.items)));
  }

  finish(): Node {
    this.endBranch();
    return branches.length - this.branches == 1 ? branches.pop() : alternate(takeFrom(branches, this.branches));
  }

  flush(): void {
    if (run.length == 1) items.push(leaf(Kind.Literal, run[0]));
    else if (run.length > 1) items.push(literals(run));
    run.length = 0;
  }
}

/** stack[start..] as an array of its own, removed from the stack */
function takeFrom(stack: Array<Node>, start: i32): Array<Node> {
  const out = stack.slice(start);
  stack.length = start;
  return out;
}

// a failed parse may leave anything in the scratch; a long pattern may have grown it
function releaseScratch(patternLength: i32): void {
  if (patternLength > SCRATCH_KEPT) {
    items = new Array<Node>();
    branches = new Array<Node>();
    run = new Array<i32>();
    open = new Array<Frame>();
    names = new Array<string>();
    return;
  }
  items.length = 0;
  branches.length = 0;
  run.length = 0;
  open.length = 0;
  names.length = 0;
}

export function parse(pattern: string): ParseResult {
  const c = new Cursor(pattern);
  const node = parseCursor(c);
  releaseScratch(pattern.length);
  if (node === null) return new ParseResult(null, c.error);
  // Opening groups and classes was bounded on the way; this also counts repetitions etc.
  if (node.height > NEST_LIMIT) return new ParseResult(null, NEST_LIMIT_EXCEEDED);
  return new ParseResult(node, "");
}

function parseCursor(c: Cursor): Node | null {
  let frame = new Frame(0, 0);
  while (!c.eof) {
    const ch = c.char();
    if (ch == 0x28) { // (
      if (open.length >= NEST_LIMIT) return fail(c, NEST_LIMIT_EXCEEDED);
      if (!openGroup(c, names)) return null;
      frame.flush(); // the inner group's characters use `run` now
      open.push(frame);
      frame = new Frame(items.length, branches.length);
    } else if (ch == 0x29) { // )
      if (open.length == 0) return fail(c, GROUP_UNOPENED);
      c.bump();
      const inner = group(frame.finish());
      frame = open.pop();
      frame.item(inner);
    } else if (ch == 0x7c) { // |
      c.bump();
      frame.endBranch();
    } else if (ch == 0x2a || ch == 0x2b || ch == 0x3f) { // * + ?
      const last = frame.takeLast();
      if (last === null) return fail(c, REPETITION_MISSING);
      c.bump();
      if (c.char() == 0x3f) c.bump(); // lazy: matches the same strings
      frame.item(repeat(last, ch == 0x2b ? 1 : 0, ch == 0x3f ? 1 : UNBOUNDED));
    } else if (ch == 0x7b) { // {
      if (!parseCounted(c, frame)) return null;
    } else if (!parseAtom(c, open.length, frame)) {
      return null;
    }
  }
  if (open.length > 0) return fail(c, GROUP_UNCLOSED);
  return frame.finish();
}

// One atom into `frame`; false after recording an error.
function parseAtom(c: Cursor, depth: i32, frame: Frame): bool {
  const ch = c.char();
  if (ch == 0x5b) { // [
    const value = parseClass(c, depth);
    if (value === null) return false;
    frame.item(classNode(value.cls, value.height));
    return true;
  }
  if (ch == 0x5c) { // backslash
    const escape = parseEscape(c);
    if (escape === null) return false;
    if (escape.kind == EscapeKind.Start) frame.item(leaf(Kind.Start));
    else if (escape.kind == EscapeKind.End) frame.item(leaf(Kind.End));
    else frame.literal(escape.cp);
    return true;
  }
  c.bump();
  if (ch == 0x2e) frame.item(leaf(Kind.Any)); // .
  else if (ch == 0x5e) frame.item(leaf(Kind.Start)); // ^ (no multi-line mode)
  else if (ch == 0x24) frame.item(leaf(Kind.End)); // $
  else frame.literal(ch);
  return true;
}

// After `(`: `(?:`, `(?P<name>`, `(?<name>` or a plain group. Flags and look-around are rejected.
function openGroup(c: Cursor, names: Array<string>): bool {
  c.bump();
  if (c.bumpIf("?=") || c.bumpIf("?!") || c.bumpIf("?<=") || c.bumpIf("?<!")) return c.fail(LOOK_AROUND);
  if (c.bumpIf("?P<") || c.bumpIf("?<")) return parseGroupName(c, names);
  if (!c.bumpIf("?")) return true;
  if (c.eof) return c.fail(GROUP_UNCLOSED);
  if (c.bumpIf(":")) return true;
  return c.fail(c.char() == 0x29 ? REPETITION_MISSING : FLAGS_UNSUPPORTED);
}

// A capture name: a letter or `_`, then letters, digits, `_`, `.`, `[`, `]`; up to `>`.
function parseGroupName(c: Cursor, names: Array<string>): bool {
  const start = c.pos;
  while (!c.eof && c.char() != 0x3e) {
    if (!isNameChar(c.char(), c.pos == start)) return c.fail(GROUP_NAME_INVALID);
    c.bump();
  }
  if (c.eof) return c.fail(GROUP_NAME_EOF);
  const name = c.pattern.substring(start, c.pos);
  c.bump();
  if (name.length == 0) return c.fail(GROUP_NAME_EMPTY);
  if (names.includes(name)) return c.fail(GROUP_NAME_DUPLICATE);
  names.push(name);
  return true;
}

// Non-ASCII characters are accepted as letters (the reference asks Unicode's alphabetic property).
function isNameChar(ch: i32, first: bool): bool {
  if (ch == 0x5f || ch >= 0x80) return true; // _
  if (first) return isAsciiAlphanumeric(ch) && ch > 0x39;
  return isAsciiAlphanumeric(ch) || ch == 0x2e || ch == 0x5b || ch == 0x5d; // . [ ]
}

// `{n}`, `{n,}` or `{n,m}` (optionally lazy) applied to the last item.
function parseCounted(c: Cursor, frame: Frame): bool {
  const last = frame.takeLast();
  if (last === null) return c.fail(REPETITION_MISSING);
  if (!c.bump()) return c.fail(REPETITION_UNCLOSED);
  const min = parseDecimal(c);
  if (min < 0) return false;
  let max: u64 = <u64>min;
  if (c.char() == 0x2c) { // ,
    if (!c.bump()) return c.fail(REPETITION_UNCLOSED);
    if (c.char() == 0x7d) {
      max = UNBOUNDED;
    } else {
      const end = parseDecimal(c);
      if (end < 0) return false;
      max = <u64>end;
    }
  }
  if (c.char() != 0x7d) return c.fail(REPETITION_UNCLOSED);
  c.bump();
  if (c.char() == 0x3f) c.bump(); // lazy
  if (<u64>min > max) return c.fail(REPETITION_COUNT_INVALID);
  frame.item(repeat(last, <u64>min, max));
  return true;
}

// A u32 in decimal, surrounded by optional white space; -1 after recording an error.
function parseDecimal(c: Cursor): i64 {
  skipWhitespace(c);
  let value: i64 = 0;
  let digits = 0;
  while (c.char() >= 0x30 && c.char() <= 0x39) {
    if (value <= <i64>u32.MAX_VALUE) value = value * 10 + (c.char() - 0x30);
    digits++;
    c.bump();
  }
  skipWhitespace(c);
  if (digits == 0) c.fail(REPETITION_DECIMAL);
  else if (value > <i64>u32.MAX_VALUE) c.fail(DECIMAL_INVALID);
  return c.failed ? -1 : value;
}

function skipWhitespace(c: Cursor): void {
  while (isWhitespace(c.char())) c.bump();
}

// Rust's char::is_whitespace.
function isWhitespace(ch: i32): bool {
  return (ch >= 0x09 && ch <= 0x0d) || ch == 0x20 || ch == 0x85 || ch == 0xa0 || ch == 0x1680
    || (ch >= 0x2000 && ch <= 0x200a) || ch == 0x2028 || ch == 0x2029 || ch == 0x202f
    || ch == 0x205f || ch == 0x3000;
}

function fail(c: Cursor, message: string): Node | null {
  c.fail(message);
  return null;
}
