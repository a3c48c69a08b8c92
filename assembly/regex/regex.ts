// Regular expressions in the Rust `regex` dialect, as the reference's engine (built without its
// Unicode tables) accepts them: literals, `.`, `^` `$` `\A` `\z`, escapes (`\.`, `\/`, `\x41`,
// `\u{e9}`, `\n`, ...), classes (ranges, nesting, `[:alpha:]`, `&&` `--` `~~`), groups `(...)`,
// `(?:...)`, `(?P<name>...)`, alternation, and greedy or lazy `*` `+` `?` `{n}` `{n,}` `{n,m}`.
// `\d` `\s` `\w` and their negations, Unicode properties and word boundaries need those tables
// and are errors, as in the reference; so are inline flags, look-around and backreferences.
//
// Compile once, then ask whether a subject contains a match (no captures), without allocating.
import { Kind, Node, concat } from "./ast";
import { compile } from "./compiler";
import { MAX_INSTRUCTIONS, TOO_BIG } from "./limits";
import { parse } from "./parser";
import { Program } from "./program";
import { run } from "./vm";
import { StringBuilder } from "../text/builder";

export class Regex {
  // Matches are `prefix` at the subject's start (and nothing more when `exact`) followed by a
  // match of `rest` right there; or, without a prefix, a match of `rest` anywhere.
  constructor(private prefix: string, private exact: bool, private rest: Program | null) {}

  /** text every match starts with at the subject's start ("" when matches may start anywhere) */
  get literalPrefix(): string {
    return this.prefix;
  }

  /** Whether the pattern matches somewhere in `s` (unanchored search, like Rust's `is_match`). */
  isMatch(s: string): bool {
    return this.matchRange(s, 0, s.length);
  }

  /** Same as isMatch on s[start, end), without copying it. */
  matchRange(s: string, start: i32, end: i32): bool {
    if (start < 0 || end > s.length || start > end) return false;
    const prefix = this.prefix;
    const length = prefix.length;
    if (end - start < length || (this.exact && end - start != length) || !regionMatches(s, start, prefix)) return false;
    const rest = this.rest;
    return rest === null || run(rest, s, start, start + length, end);
  }
}

export class RegexResult {
  constructor(public regex: Regex | null, public error: string) {}
}

export function compileRegex(pattern: string): RegexResult {
  const parsed = parse(pattern);
  const root = parsed.node;
  if (root === null) return new RegexResult(null, parsed.error);
  if (root.size >= <u64>MAX_INSTRUCTIONS) return new RegexResult(null, TOO_BIG); // + Match
  const items = root.kind == Kind.Concat ? root.children : [root];
  if (items[0].kind != Kind.Start) return new RegexResult(new Regex("", false, compile(root, isAnchored(root))), "");
  // `\A` then literals: a plain comparison, and the automaton (if any) only for what follows.
  let end = 1;
  let length = 0; // code points: units, but for the rare ones above U+FFFF (the builder grows then)
  while (end < items.length && (items[end].kind == Kind.Literal || items[end].kind == Kind.Literals)) length += <i32>items[end++].size;
  const literals = new StringBuilder(length);
  for (let i = 1; i < end; i++) {
    const item = items[i];
    if (item.kind == Kind.Literal) literals.addCodePoint(item.cp);
    else addCodePoints(literals, item.cps!);
  }
  const prefix = literals.toString();
  const rest = items.slice(end);
  const exact = rest.length == 1 && rest[0].kind == Kind.End;
  const program: Program | null = rest.length == 0 || exact ? null : compile(concat(rest), true);
  return new RegexResult(new Regex(prefix, exact, program), "");
}

// Whether every match must begin at the subject's start (conservative: false when unsure).
// Recursion is bounded by the nest limit.
function isAnchored(node: Node): bool {
  switch (node.kind) {
    case Kind.Start: return true;
    case Kind.Group: return isAnchored(node.children[0]);
    case Kind.Repeat: return node.min > 0 && isAnchored(node.children[0]);
    case Kind.Concat: {
      for (let i = 0; i < node.children.length; i++) {
        const child = node.children[i];
        if (isAnchored(child)) return true;
        if (child.size != 0) return false;
      }
      return false;
    }
    case Kind.Alternate: {
      for (let i = 0; i < node.children.length; i++) if (!isAnchored(node.children[i])) return false;
      return true;
    }
  }
  return false;
}

function addCodePoints(out: StringBuilder, cps: StaticArray<i32>): void {
  for (let i = 0; i < cps.length; i++) out.addCodePoint(cps[i]);
}

function regionMatches(s: string, pos: i32, literal: string): bool {
  return memory.compare(changetype<usize>(s) + (<usize>pos << 1), changetype<usize>(literal), <usize>literal.length << 1) == 0;
}
