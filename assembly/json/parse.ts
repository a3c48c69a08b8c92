// A strict RFC 8259 parser into JsonValue. It never traps: every malformed input yields an
// error message with its line and column, and nesting is bounded before recursing so hostile
// input cannot exhaust the Wasm stack.
import { JsonKind, JsonValue } from "./value";
import { StringBuilder } from "../text/builder";

export const DEFAULT_MAX_DEPTH: i32 = 128;

export class JsonResult {
  constructor(public value: JsonValue | null, public error: string) {}
}

export function parseJson(text: string, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonResult {
  const p = new Parser(text, maxDepth);
  p.skipWhitespace();
  const v = p.parseValue(0);
  releaseStacks();
  if (v) {
    p.skipWhitespace();
    if (p.pos < text.length) p.fail("unexpected content after the JSON value");
  }
  if (p.error.length > 0) return new JsonResult(null, p.error);
  return new JsonResult(v, "");
}

let keyStack = new Array<string>();
let valueStack = new Array<JsonValue>();
let itemStack = new Array<JsonValue>();
/** the most entries the stacks held during this parse */
let stackPeak = 0;
/** stacks that held more are replaced afterwards: their buffers would otherwise stay allocated */
const STACK_KEPT = 1024;

// after a parse: a failure leaves entries on the stacks, and nothing may stay reachable from them
function releaseStacks(): void {
  if (stackPeak > STACK_KEPT) {
    keyStack = new Array<string>();
    valueStack = new Array<JsonValue>();
    itemStack = new Array<JsonValue>();
  } else {
    keyStack.length = 0;
    valueStack.length = 0;
    itemStack.length = 0;
  }
  stackPeak = 0;
}

const RECENT_KEYS: i32 = 8;
const recentKeys = new StaticArray<string>(RECENT_KEYS);
let nextKey = 0;
for (let i = 0; i < RECENT_KEYS; i++) recentKeys[i] = "";

/** stack[start..] as an array of its own, removed from the stack */
function takeFrom<T>(stack: Array<T>, start: i32): Array<T> {
  if (stack.length > stackPeak) stackPeak = stack.length;
  const out = stack.slice(start);
  stack.length = start;
  return out;
}

function regionEquals(s: string, pos: i32, other: string): bool {
  return memory.compare(changetype<usize>(s) + (<usize>pos << 1), changetype<usize>(other), <usize>other.length << 1) == 0;
}

class Parser {
  pos: i32 = 0;
  error: string = "";
  constructor(public text: string, public maxDepth: i32) {}

  peek(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  fail(message: string): void {
    if (this.error.length > 0) return;
    let line = 1;
    let column = 1;
    const end = min(this.pos, this.text.length);
    for (let i = 0; i < end; i++) {
      if (this.text.charCodeAt(i) == 10) { line++; column = 1; } else column++;
    }
    this.error = "JSON syntax error at line " + line.toString() + ", column " + column.toString() + ": " + message;
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  parseValue(depth: i32): JsonValue | null {
    const c = this.peek();
    if (c == 0x7b /* { */ || c == 0x5b /* [ */) {
      if (depth >= this.maxDepth) {
        this.fail("nesting deeper than " + this.maxDepth.toString() + " levels");
        return null;
      }
      return c == 0x7b ? this.parseObject(depth + 1) : this.parseArray(depth + 1);
    }
    if (c == 0x22 /* " */) {
      const s = this.parseString();
      return s == null ? null : JsonValue.text(JsonKind.String, s);
    }
    if (c == 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    if (this.literal("true")) return JsonValue.boolean(true);
    if (this.literal("false")) return JsonValue.boolean(false);
    if (this.literal("null")) return JsonValue.null();
    this.fail(c < 0 ? "unexpected end of input" : "expected a JSON value");
    return null;
  }

  literal(word: string): bool {
    if (this.pos + word.length > this.text.length) return false;
    for (let i = 0; i < word.length; i++) {
      if (this.text.charCodeAt(this.pos + i) != word.charCodeAt(i)) return false;
    }
    this.pos += word.length;
    return true;
  }

  // Members and elements gather on shared stacks (nested containers above their parent's) and
  // each container takes an exact-size copy when it closes: a configuration has thousands of
  // small objects, and arrays grown by `push` start at 8 elements.
  parseObject(depth: i32): JsonValue | null {
    this.pos++; // {
    const start = keyStack.length;
    this.skipWhitespace();
    if (this.peek() == 0x7d) { this.pos++; return JsonValue.object(new Array<string>(), new Array<JsonValue>()); }
    while (true) {
      this.skipWhitespace();
      if (this.peek() != 0x22) { this.fail("expected a string as object key"); return null; }
      const key = this.parseKey();
      if (key == null) return null;
      this.skipWhitespace();
      if (this.peek() != 0x3a) { this.fail("expected ':' after object key"); return null; }
      this.pos++;
      this.skipWhitespace();
      const v = this.parseValue(depth);
      if (!v) return null;
      keyStack.push(key);
      valueStack.push(v);
      this.skipWhitespace();
      const c = this.peek();
      this.pos++;
      if (c == 0x7d) return JsonValue.object(takeFrom<string>(keyStack, start), takeFrom<JsonValue>(valueStack, start));
      if (c != 0x2c) { this.pos--; this.fail("expected ',' or '}' in object"); return null; }
    }
    return null;
  }

  parseArray(depth: i32): JsonValue | null {
    this.pos++; // [
    const start = itemStack.length;
    this.skipWhitespace();
    if (this.peek() == 0x5d) { this.pos++; return JsonValue.array(new Array<JsonValue>()); }
    while (true) {
      this.skipWhitespace();
      const v = this.parseValue(depth);
      if (!v) return null;
      itemStack.push(v);
      this.skipWhitespace();
      const c = this.peek();
      this.pos++;
      if (c == 0x5d) return JsonValue.array(takeFrom<JsonValue>(itemStack, start));
      if (c != 0x2c) { this.pos--; this.fail("expected ',' or ']' in array"); return null; }
    }
    return null;
  }

  // An object key: the same names recur in every object of a kind, so a name without escapes
  // that was seen recently is shared rather than copied again.
  parseKey(): string | null {
    const start = this.pos + 1;
    let end = start;
    const text = this.text;
    while (end < text.length && text.charCodeAt(end) != 0x22 && text.charCodeAt(end) != 0x5c) end++;
    if (end < text.length && text.charCodeAt(end) == 0x22) {
      for (let i = 0; i < RECENT_KEYS; i++) {
        const known = recentKeys[i];
        if (known.length == end - start && regionEquals(text, start, known)) {
          this.pos = end + 1;
          return known;
        }
      }
    }
    const key = this.parseString();
    if (key == null) return null;
    recentKeys[nextKey] = key;
    nextKey = (nextKey + 1) % RECENT_KEYS;
    return key;
  }

  parseString(): string | null {
    this.pos++; // opening quote
    const text = this.text;
    let start = this.pos;
    let out: StringBuilder | null = null; // only strings with escapes are rebuilt
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c == 0x22) {
        const end = this.pos++;
        if (!out) return text.substring(start, end);
        return out.addRange(text, start, end).toString();
      }
      if (c < 0x20) { this.fail("control character in string"); return null; }
      if (c != 0x5c) { this.pos++; continue; }
      if (!out) out = new StringBuilder(this.pos - start + 16);
      out.addRange(text, start, this.pos);
      this.pos++;
      if (!this.parseEscape(out)) return null;
      start = this.pos;
    }
    this.fail("unterminated string");
    return null;
  }

  /** appends the character of the escape after a backslash; false on a malformed one */
  parseEscape(out: StringBuilder): bool {
    const c = this.peek();
    this.pos++;
    switch (c) {
      case 0x22: out.addCode(0x22); return true;
      case 0x5c: out.addCode(0x5c); return true;
      case 0x2f: out.addCode(0x2f); return true;
      case 0x62: out.addCode(0x08); return true;
      case 0x66: out.addCode(0x0c); return true;
      case 0x6e: out.addCode(0x0a); return true;
      case 0x72: out.addCode(0x0d); return true;
      case 0x74: out.addCode(0x09); return true;
      case 0x75: return this.parseUnicodeEscape(out);
    }
    this.pos--;
    this.fail("invalid escape sequence");
    return false;
  }

  /** \uXXXX, with surrogate pairs combined; a lone surrogate is an error (as in serde_json) */
  parseUnicodeEscape(out: StringBuilder): bool {
    const unit = this.hex4();
    if (unit < 0) return false;
    if (unit >= 0xdc00 && unit <= 0xdfff) { this.fail("lone surrogate in \\u escape"); return false; }
    if (unit < 0xd800 || unit > 0xdbff) { out.addCode(unit); return true; }
    if (this.peek() != 0x5c || this.pos + 1 >= this.text.length || this.text.charCodeAt(this.pos + 1) != 0x75) {
      this.fail("lone surrogate in \\u escape");
      return false;
    }
    this.pos += 2;
    const low = this.hex4();
    if (low < 0) return false;
    if (low < 0xdc00 || low > 0xdfff) { this.fail("lone surrogate in \\u escape"); return false; }
    out.addCode(unit).addCode(low);
    return true;
  }

  hex4(): i32 {
    if (this.pos + 4 > this.text.length) { this.fail("truncated \\u escape"); return -1; }
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.text.charCodeAt(this.pos + i);
      let d: i32;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else { this.fail("invalid \\u escape"); return -1; }
      v = (v << 4) | d;
    }
    this.pos += 4;
    return v;
  }

  parseNumber(): JsonValue | null {
    const start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    const c = this.peek();
    if (c == 0x30) this.pos++;
    else if (c >= 0x31 && c <= 0x39) this.digits();
    else { this.fail("invalid number"); return null; }
    if (this.peek() == 0x2e) {
      this.pos++;
      if (!this.digits()) { this.fail("invalid number: digits expected after '.'"); return null; }
    }
    const e = this.peek();
    if (e == 0x65 || e == 0x45) {
      this.pos++;
      const s = this.peek();
      if (s == 0x2b || s == 0x2d) this.pos++;
      if (!this.digits()) { this.fail("invalid number: digits expected in exponent"); return null; }
    }
    return JsonValue.text(JsonKind.Number, this.text.substring(start, this.pos));
  }

  digits(): bool {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    return this.pos > start;
  }
}
