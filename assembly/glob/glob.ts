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
  /** code points (≥ 0) or one of the wildcard tokens above */
  private tokens: StaticArray<i32>;
  /** the pattern's text when it has no wildcard: matching is plain equality */
  private literal: string | null;
  // NFA state sets reused across calls (a Wasm instance is single-threaded)
  private current: StaticArray<bool>;
  private next: StaticArray<bool>;

  constructor(tokens: Array<i32>, literal: string | null) {
    this.tokens = StaticArray.fromArray<i32>(tokens);
    this.literal = literal;
    this.current = new StaticArray<bool>(tokens.length + 1);
    this.next = new StaticArray<bool>(tokens.length + 1);
  }

  matches(s: string): bool {
    const literal = this.literal;
    if (literal != null) return s == literal;
    const tokens = this.tokens;
    const n = tokens.length;
    let cur = this.current;
    let nxt = this.next;
    for (let i = 0; i <= n; i++) cur[i] = false;
    cur[0] = true;
    closeOver(tokens, cur);
    let i = 0;
    while (i < s.length) {
      const c = s.codePointAt(i);
      i += c > 0xffff ? 2 : 1;
      let alive = false;
      for (let k = 0; k <= n; k++) nxt[k] = false;
      for (let k = 0; k < n; k++) {
        if (!cur[k]) continue;
        const t = tokens[k];
        if (t >= 0) {
          if (t == c) { nxt[k + 1] = true; alive = true; }
        } else if (c != LINE_FEED) {
          nxt[t == STAR ? k : k + 1] = true;
          alive = true;
        }
      }
      if (!alive) return false;
      closeOver(tokens, nxt);
      const swap = cur; cur = nxt; nxt = swap;
    }
    return cur[n];
  }
}

/** adds the states reachable by skipping `*` and `?` (edges only go forward) */
function closeOver(tokens: StaticArray<i32>, states: StaticArray<bool>): void {
  for (let k = 0; k < tokens.length; k++) {
    if (states[k] && (tokens[k] == STAR || tokens[k] == OPT)) states[k + 1] = true;
  }
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
  return new GlobResult(new Glob(tokens, wild ? null : literalText(tokens)), "");
}

/** ASCII other than letters, digits, `<` and `>` */
function escapable(c: i32): bool {
  if (c >= 0x80) return false;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return false;
  return c != 0x3c && c != 0x3e;
}

function literalText(tokens: Array<i32>): string {
  const out = new StringBuilder(tokens.length);
  for (let k = 0; k < tokens.length; k++) out.addCodePoint(tokens[k]);
  return out.toString();
}
