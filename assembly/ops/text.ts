// String algorithms with Rust `str` semantics on AssemblyScript's UTF-16 strings. Positions are
// code-unit offsets; an empty separator or pattern matches at every *character* boundary
// (never inside a surrogate pair), including both ends, as Rust's `split("")` does.
import { Budget } from "./budget";
import { StringBuilder } from "../text/builder";

function isHigh(c: i32): bool { return c >= 0xd800 && c <= 0xdbff; }
function isLow(c: i32): bool { return c >= 0xdc00 && c <= 0xdfff; }

/** true when positions i-1 and i hold one surrogate pair (i is not a character boundary) */
function insidePair(s: string, i: i32): bool {
  return i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i));
}

/** start of the first match at or after `from`, or -1 */
function findForward(s: string, needle: string, from: i32): i32 {
  if (needle.length > 0) return s.indexOf(needle, from);
  return from <= s.length ? from : -1;
}

/** where the forward search resumes after a match at `at` (matches never overlap) */
function resumeForward(s: string, needle: string, at: i32): i32 {
  if (needle.length > 0) return at + needle.length;
  const next = at + 1;
  return insidePair(s, next) ? next + 1 : next;
}

/** start of the last match ending at or before `end`, or -1 */
function findBackward(s: string, needle: string, end: i32): i32 {
  if (needle.length > 0) return end >= needle.length ? s.lastIndexOf(needle, end - needle.length) : -1;
  return end;
}

/** where the backward search resumes after a match at `at` */
function resumeBackward(s: string, needle: string, at: i32): i32 {
  if (needle.length > 0) return at;
  const prev = at - 1;
  return insidePair(s, prev) ? prev - 1 : prev;
}

/**
 * Pushes the pieces of `s` cut at `separator`, at most `max` pieces (0 = unlimited), the last
 * piece holding the rest: left to right (Rust `splitn`), or when `fromRight` right to left
 * (Rust `rsplitn`: the rightmost piece is pushed first). False when the budget runs out.
 */
export function splitInto(s: string, separator: string, max: u32, fromRight: bool, stack: Array<string>, budget: Budget): bool {
  let rest0 = 0;               // the uncut part is s[rest0, rest1)
  let rest1 = s.length;
  let search = fromRight ? rest1 : 0;
  let pieces: u32 = 1;
  while (max == 0 || pieces < max) {
    const at = fromRight ? findBackward(s, separator, search) : findForward(s, separator, search);
    if (at < 0) break;
    const piece = fromRight ? s.substring(at + separator.length, rest1) : s.substring(rest0, at);
    if (!budget.emit(stack, piece, true)) return false;
    if (fromRight) {
      rest1 = at;
      search = resumeBackward(s, separator, at);
    } else {
      rest0 = at + separator.length;
      search = resumeForward(s, separator, at);
    }
    pieces++;
  }
  return budget.emit(stack, s.substring(rest0, rest1), true);
}

/** Rust `replacen` (max 0 = `replace`): the result, or null when the budget runs out */
export function replaceText(s: string, pattern: string, replacement: string, max: u32, budget: Budget): string | null {
  // count first, so an oversized result is refused before it is built
  let count: u32 = 0;
  for (let at = findForward(s, pattern, 0); at >= 0 && (max == 0 || count < max); at = findForward(s, pattern, resumeForward(s, pattern, at))) count++;
  const length = <i64>s.length + <i64>count * <i64>(replacement.length - pattern.length);
  if (!budget.charge(length + 1)) return null;
  if (count == 0) return s;
  const out = new StringBuilder(<i32>length);
  let start = 0;
  let at = findForward(s, pattern, 0);
  for (let done: u32 = 0; done < count; done++) {
    out.addRange(s, start, at).add(replacement);
    start = at + pattern.length;
    at = findForward(s, pattern, resumeForward(s, pattern, at));
  }
  return out.addRange(s, start, s.length).toString();
}

/** reversal by Unicode scalar values: surrogate pairs stay in order */
export function reverseChars(s: string): string {
  const n = s.length;
  const out = new StaticArray<u16>(n);
  let j = 0;
  let i = n;
  while (i > 0) {
    if (insidePair(s, i - 1)) {
      out[j++] = <u16>s.charCodeAt(i - 2);
      out[j++] = <u16>s.charCodeAt(i - 1);
      i -= 2;
    } else {
      out[j++] = <u16>s.charCodeAt(--i);
    }
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(out), <usize>n << 1);
}
