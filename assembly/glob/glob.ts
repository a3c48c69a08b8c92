// Glob patterns (docs/configuration.md §7.1), shared by service `authorities` and the `glob`
// operation. Anchored, case-sensitive, matched per Unicode scalar value:
//   `*` any run (may be empty), `+` a run of one or more, `?` zero or one character —
//   no character matched by a wildcard may be a line feed; `\` makes the next character
//   literal. The reference hands `\` + letter/digit/`<`/`>`/non-ASCII and a dangling `\` to
//   a regex engine with surprising results; authrep-wasm rejects them.
// Matching simulates the pattern's NFA over a set of states (O(text × pattern), no
// recursion, no backtracking), so hostile subjects cannot blow up.
import { StringBuilder } from "../text/builder";

const STAR: i32 = -1; // any run, possibly empty
const OPT: i32 = -2;  // zero or one character
const ANY: i32 = -3;  // exactly one character (`+` compiles to ANY STAR)
const LINE_FEED: i32 = 0x0a;

export class Glob {
  /**
   * code points (≥ 0) or wildcard tokens, between the pattern's literal prefix and suffix: a
   * match is `prefix` + text these tokens match + `suffix`, so most authority patterns
   * (`host:*`, `*.example.com`) need two comparisons and a scan, not the NFA
   */
  private tokens: StaticArray<i32>;
  /** the pattern's text when it has no wildcard: matching is plain equality */
  private literal: string | null;
  private prefix: string;
  private suffix: string;
  /** the middle is a lone `*`: any run without a line feed */
  private starOnly: bool;
  // NFA state sets reused across calls (a Wasm instance is single-threaded)
  private current: StaticArray<bool>;
  private next: StaticArray<bool>;

  constructor(tokens: Array<i32>, literal: string | null) {
    let start = 0;
    while (start < tokens.length && tokens[start] >= 0) start++;
    let end = tokens.length;
    while (end > start && tokens[end - 1] >= 0) end--;
    this.prefix = literalText(tokens, 0, start);
    this.suffix = literalText(tokens, end, tokens.length);
    this.tokens = StaticArray.fromArray<i32>(tokens.slice(start, end));
    this.starOnly = end - start == 1 && tokens[start] == STAR;
    this.literal = literal;
    this.current = new StaticArray<bool>(end - start + 1);
    this.next = new StaticArray<bool>(end - start + 1);
  }

  matches(s: string): bool {
    const literal = this.literal;
    if (literal != null) return s == literal;
    const prefix = this.prefix;
    const suffix = this.suffix;
    const start = prefix.length;
    const end = s.length - suffix.length;
    if (end < start || !s.startsWith(prefix) || !s.endsWith(suffix)) return false;
    // a literal surrogate half the subject pairs with its other half is not that code point
    if (start > 0 && isHighSurrogate(s.charCodeAt(start - 1)) && isLowSurrogate(s.charCodeAt(start))) return false;
    if (suffix.length > 0 && end > 0 && isHighSurrogate(s.charCodeAt(end - 1)) && isLowSurrogate(s.charCodeAt(end))) return false;
    if (this.starOnly) {
      const lf = s.indexOf("\n", start);
      return lf < 0 || lf >= end;
    }
    return this.matchesMiddle(s, start, end);
  }

  /** the NFA of the middle tokens over s[start, end) */
  private matchesMiddle(s: string, start: i32, end: i32): bool {
    const tokens = this.tokens;
    const n = tokens.length;
    let cur = this.current;
    let nxt = this.next;
    for (let i = 0; i <= n; i++) unchecked(cur[i] = false);
    unchecked(cur[0] = true);
    closeOver(tokens, cur);
    let i = start;
    while (i < end) {
      const c = s.codePointAt(i);
      i += c > 0xffff ? 2 : 1;
      let alive = false;
      for (let k = 0; k <= n; k++) unchecked(nxt[k] = false);
      for (let k = 0; k < n; k++) {
        if (!unchecked(cur[k])) continue;
        const t = unchecked(tokens[k]);
        if (t >= 0) {
          if (t == c) { unchecked(nxt[k + 1] = true); alive = true; }
        } else if (c != LINE_FEED) {
          unchecked(nxt[t == STAR ? k : k + 1] = true);
          alive = true;
        }
      }
      if (!alive) return false;
      closeOver(tokens, nxt);
      const swap = cur; cur = nxt; nxt = swap;
    }
    return unchecked(cur[n]);
  }
}

/** adds the states reachable by skipping `*` and `?` (edges only go forward; `states` has one more slot than `tokens`) */
function closeOver(tokens: StaticArray<i32>, states: StaticArray<bool>): void {
  for (let k = 0; k < tokens.length; k++) {
    const t = unchecked(tokens[k]);
    if (unchecked(states[k]) && (t == STAR || t == OPT)) unchecked(states[k + 1] = true);
  }
}

function isHighSurrogate(c: i32): bool {
  return (c & 0xfc00) == 0xd800;
}

function isLowSurrogate(c: i32): bool {
  return (c & 0xfc00) == 0xdc00;
}

export class GlobResult {
  constructor(public glob: Glob | null, public error: string) {}
}

export function compileGlob(pattern: string): GlobResult {
  const tokens = new Array<i32>();
  let wild = false;
  let escaped = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.codePointAt(i);
    i += c > 0xffff ? 2 : 1;
    if (escaped) {
      escaped = false;
      if (!escapable(c)) {
        return new GlobResult(null, "invalid glob pattern `" + pattern + "`: `\\" + String.fromCodePoint(c) +
          "` is not supported (a backslash may only precede ASCII punctuation such as `*`, `+`, `?` or `\\`)");
      }
      tokens.push(c);
    } else if (c == 0x5c /* \ */) {
      escaped = true;
    } else if (c == 0x2a /* * */) {
      tokens.push(STAR); wild = true;
    } else if (c == 0x2b /* + */) {
      tokens.push(ANY); tokens.push(STAR); wild = true;
    } else if (c == 0x3f /* ? */) {
      tokens.push(OPT); wild = true;
    } else {
      tokens.push(c);
    }
  }
  if (escaped) {
    return new GlobResult(null, "invalid glob pattern `" + pattern + "`: it ends with a lone backslash (write `\\\\` for a literal backslash)");
  }
  return new GlobResult(new Glob(tokens, wild ? null : literalText(tokens, 0, tokens.length)), "");
}

/** ASCII other than letters, digits, `<` and `>` */
function escapable(c: i32): bool {
  if (c >= 0x80) return false;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return false;
  return c != 0x3c && c != 0x3e;
}

/** the code points tokens[from, to) as text */
function literalText(tokens: Array<i32>, from: i32, to: i32): string {
  const out = new StringBuilder(to - from);
  for (let k = from; k < to; k++) out.addCodePoint(tokens[k]);
  return out.toString();
}
