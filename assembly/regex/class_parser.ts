// Bracketed classes: `[a-z]`, `[^...]`, nested `[a[bc]]`, `[[:alpha:]]`, and the set operators
// `&&` (intersection), `--` (difference), `~~` (symmetric difference), all left-associative
// with equal precedence and binding looser than union. Iterative, so nesting costs no stack.
import { CharClass, asciiClass, difference, intersection, symmetricDifference } from "./charclass";
import { Cursor } from "./cursor";
import { CLASS_ESCAPE_INVALID, CLASS_RANGE_INVALID, CLASS_RANGE_LITERAL, CLASS_UNCLOSED } from "./errors";
import { Escape, EscapeKind, parseEscape } from "./escape";
import { NEST_LIMIT, NEST_LIMIT_EXCEEDED } from "./limits";

/** A parsed class and its nesting height as the reference counts it for the nest limit. */
export class ClassValue {
  constructor(public cls: CharClass, public height: i32) {}
}

// The items read since the last `[` or operator.
class Union {
  cls: CharClass = new CharClass();
  count: i32 = 0;
  height: i32 = 0;

  push(item: ClassValue): void {
    this.cls.addClass(item.cls);
    this.count++;
    this.height = max(this.height, item.height);
  }

  pushRange(lo: i32, hi: i32): void {
    this.cls.add(lo, hi);
    this.count++;
  }

  // A single item stands for itself; several form a union one level deeper.
  value(): ClassValue {
    this.cls.finish();
    return new ClassValue(this.cls, this.count > 1 ? this.height + 1 : this.height);
  }
}

enum Op { None, Intersection, Difference, SymmetricDifference }

// An open `[`: whether it is negated, the union it belongs to, and a pending operator.
class Open {
  op: Op = Op.None;
  lhs: ClassValue | null = null;

  constructor(public negated: bool, public parent: Union) {}

  // Applies the pending operator (if any) with `rhs` as its right operand.
  reduce(rhs: ClassValue): ClassValue {
    const lhs = this.lhs;
    if (this.op == Op.None || lhs === null) return rhs;
    const cls = this.op == Op.Intersection ? intersection(lhs.cls, rhs.cls)
      : this.op == Op.Difference ? difference(lhs.cls, rhs.cls)
      : symmetricDifference(lhs.cls, rhs.cls);
    return new ClassValue(cls, max(lhs.height, rhs.height) + 1);
  }
}

// The classes parsed last, with their source text and depth: every placeholder of every mapping
// rule is one of two classes (path and query values), so a configuration parses each once
// instead of once per rule. Reuse is sound because parsing reads exactly the source text (and
// the depth, for the nest limit), and a parsed class is never modified.
const CACHED: i32 = 4;
const cachedSources = new StaticArray<string>(CACHED);
const cachedDepths = new StaticArray<i32>(CACHED);
const cachedValues = new StaticArray<ClassValue | null>(CACHED);
let nextSlot = 0;

/** Parses the class whose `[` is at the cursor, inside `depth` levels of groups. */
export function parseClass(c: Cursor, depth: i32): ClassValue | null {
  for (let i = 0; i < CACHED; i++) {
    const cached = cachedValues[i];
    if (cached !== null && depth == cachedDepths[i] && c.pattern.startsWith(cachedSources[i], c.pos)) {
      c.pos += cachedSources[i].length;
      return cached;
    }
  }
  const start = c.pos;
  const value = parseNewClass(c, depth);
  if (value !== null) {
    cachedSources[nextSlot] = c.pattern.substring(start, c.pos);
    cachedDepths[nextSlot] = depth;
    cachedValues[nextSlot] = value;
    nextSlot = (nextSlot + 1) % CACHED;
  }
  return value;
}

function parseNewClass(c: Cursor, depth: i32): ClassValue | null {
  const stack = new Array<Open>();
  let union = new Union(); // parent of the outermost `[`, never read
  while (true) {
    if (c.eof) return failed(c, CLASS_UNCLOSED);
    const ch = c.char();
    if (ch == 0x5b) { // [
      if (stack.length > 0 && parseAsciiClass(c, union)) continue;
      if (depth + stack.length >= NEST_LIMIT) return failed(c, NEST_LIMIT_EXCEEDED);
      const inner = open(c, stack, union);
      if (inner === null) return null;
      union = inner;
    } else if (ch == 0x5d) { // ]  (the stack is not empty: the loop starts on the outermost `[`)
      c.bump();
      const closed = stack.pop();
      const set = closed.reduce(union.value());
      const bracketed = new ClassValue(closed.negated ? set.cls.negated() : set.cls, set.height + 1);
      if (stack.length == 0) return bracketed;
      union = closed.parent;
      union.push(bracketed);
    } else if ((ch == 0x26 || ch == 0x2d || ch == 0x7e) && c.peek() == ch) { // && -- ~~
      c.bump();
      c.bump();
      const top = stack[stack.length - 1];
      top.lhs = top.reduce(union.value());
      top.op = ch == 0x26 ? Op.Intersection : ch == 0x2d ? Op.Difference : Op.SymmetricDifference;
      union = new Union();
    } else if (!parseRange(c, union)) {
      return null;
    }
  }
}

// Opens a class: optional `^`, then leading `-`s and a leading `]` are literals (so `[]` and
// `[^]` cannot be empty classes).
function open(c: Cursor, stack: Array<Open>, parent: Union): Union | null {
  let negated = false;
  if (!c.bump()) return unclosed(c);
  if (c.char() == 0x5e) { // ^
    negated = true;
    if (!c.bump()) return unclosed(c);
  }
  const union = new Union();
  while (c.char() == 0x2d) { // -
    union.pushRange(0x2d, 0x2d);
    if (!c.bump()) return unclosed(c);
  }
  if (union.count == 0 && c.char() == 0x5d) { // ]
    union.pushRange(0x5d, 0x5d);
    if (!c.bump()) return unclosed(c);
  }
  stack.push(new Open(negated, parent));
  return union;
}

// `[:name:]` or `[:^name:]` inside a class; anything else leaves the cursor where it was.
function parseAsciiClass(c: Cursor, union: Union): bool {
  const start = c.pos;
  let negated = false;
  if (c.bump() && c.char() == 0x3a && c.bump()) {
    negated = c.char() == 0x5e;
    if (!negated || c.bump()) {
      const nameStart = c.pos;
      while (c.char() != 0x3a && c.bump()) {}
      const name = c.pattern.substring(nameStart, c.pos);
      const cls: CharClass | null = c.eof ? null : asciiClass(name);
      if (cls !== null && c.bumpIf(":]")) {
        union.push(new ClassValue(negated ? cls.negated() : cls, 0));
        return true;
      }
    }
  }
  c.pos = start;
  return false;
}

// One item (`a`, `\n`) or a range of two literals (`a-z`). A `-` right before `]` or
// before another `-` is not a range.
function parseRange(c: Cursor, union: Union): bool {
  const first = parseItem(c);
  if (first === null) return false;
  if (c.eof) return c.fail(CLASS_UNCLOSED);
  const next = c.peek();
  if (c.char() != 0x2d || next == 0x5d || next == 0x2d) {
    union.pushRange(first.cp, first.cp);
    return true;
  }
  if (!c.bump()) return c.fail(CLASS_UNCLOSED);
  const last = parseItem(c);
  if (last === null) return false;
  if (first.kind != EscapeKind.Literal || last.kind != EscapeKind.Literal) return c.fail(CLASS_RANGE_LITERAL);
  if (first.cp > last.cp) return c.fail(CLASS_RANGE_INVALID);
  union.pushRange(first.cp, last.cp);
  return true;
}

// A literal character, or an escape other than an assertion.
function parseItem(c: Cursor): Escape | null {
  const ch = c.char();
  if (ch != 0x5c) {
    c.bump();
    return new Escape(EscapeKind.Literal, ch);
  }
  const escape = parseEscape(c);
  if (escape === null) return null;
  if (escape.kind == EscapeKind.Start || escape.kind == EscapeKind.End) {
    c.fail(CLASS_ESCAPE_INVALID);
    return null;
  }
  return escape;
}

function unclosed(c: Cursor): Union | null {
  c.fail(CLASS_UNCLOSED);
  return null;
}

function failed(c: Cursor, message: string): ClassValue | null {
  c.fail(message);
  return null;
}
