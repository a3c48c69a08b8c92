// The regular-expression engine: the Rust `regex` dialect as the reference's engine (built
// without Unicode tables) understands it, with an unanchored yes/no search like `is_match`.
import { beforeAll, describe, expect, it } from "vitest";
import oracle from "./vectors/regex_oracle.json";
import { loadRules, type RulesUnit } from "./support";

let m: RulesUnit;
beforeAll(async () => {
  m = await loadRules("regex");
});

function matches(pattern: string, subject: string): boolean {
  const result = m.regexMatches(pattern, [subject]);
  if (result === "E") throw new Error(`${pattern}: ${m.regexError(pattern)}`);
  return result === "1";
}

describe("features", () => {
  it.each([
    // literals; the search is unanchored unless the pattern says otherwise
    ["\\Aabc", "abcd", true],
    ["\\Aabc", "xabc", false],
    ["abc", "xabcx", true],
    ["\\Aé+$", "éé", true],
    // `.` is any code point but a line feed
    ["\\Aa.c$", "abc", true],
    ["\\Aa.c$", "a\nc", false],
    ["\\Aa.c$", "a😀c", true],
    // anchors, without multi-line mode
    ["^a", "ba", false],
    ["a$", "ba", true],
    ["a$", "ab", false],
    ["\\Aa\\z", "a", true],
    ["^b", "a\nb", false],
    ["\\A*abc", "xabc", true], // a repeated anchor may match zero times
    // escapes
    ["\\A\\.", ".", true],
    ["\\A\\.", "x", false],
    ["\\A\\$\\/\\-\\#\\&\\~\\:\\_\\%\\ ", "$/-#&~:_% ", true],
    ["\\A\\x41\\x{1F600}\\u00e9\\U0000004A", "A😀éJ", true],
    ["\\A\\n\\t\\r\\f\\v\\a", "\n\t\r\f\v\x07", true],
    // classes
    ["\\A[a-c]", "b", true],
    ["\\A[^a-c]", "d", true],
    ["\\A[^a-c]", "a", false],
    ["\\A[^a]", "\n", true],
    ["\\A[^a]$", "😀", true],
    ["\\A[😀-😂]", "😁", true],
    ["\\A[]a]+$", "]a", true], // a leading `]` is literal
    ["\\A[a-]$", "-", true],
    ["\\A[-a]$", "-", true],
    ["\\A[\\]\\\\]+$", "]\\", true],
    ["\\A[.$*+?(){}|^]+$", ".$*+?(){}|^", true],
    ["\\A[[:alpha:]]", "q", true],
    ["\\A[[:alpha:]]", "1", false],
    ["\\A[[:^digit:]]", "x", true],
    ["\\A[a[bc]]$", "c", true],
    ["\\A[a-z&&[^aeiou]]", "b", true],
    ["\\A[a-z&&[^aeiou]]", "a", false],
    ["\\A[a-z--b-y]", "z", true],
    ["\\A[a-z--b-y]", "c", false],
    ["\\A[a-c~~b-d]", "d", true],
    ["\\A[a-c~~b-d]", "b", false],
    ["\\A[a&&b]", "a", false], // an empty class never matches
    // groups and alternation
    ["\\A(ab)+$", "abab", true],
    ["\\A(ab)+$", "aba", false],
    ["\\A(?:a|bc)d", "bcd", true],
    ["\\A(?P<x>a)(?<y>b)", "ab", true],
    ["\\A(a|)b", "b", true],
    ["\\A()$", "", true],
    ["\\Aa|b", "xb", true], // only the first branch is anchored
    // repetition; laziness does not change whether there is a match
    ["\\Aa*$", "", true],
    ["\\Aa+$", "", false],
    ["\\Aa?b", "b", true],
    ["\\Aa{2}$", "aa", true],
    ["\\Aa{2}$", "aaa", false],
    ["\\Aa{2,}$", "aaaa", true],
    ["\\Aa{2,}$", "a", false],
    ["\\Aa{1,2}$", "aaa", false],
    ["\\Aa{ 2 , 3 }$", "aaa", true],
    ["\\Aa+?$", "aaa", true],
    ["\\Aa{1,2}?b", "aab", true],
    ["\\Aa**$", "aa", true],
    ["\\A(){4294967295}$", "", true],
    ["\\Aa{0}$", "", true],
  ])("%j against %j: %s", (pattern, subject, expected) => {
    expect(matches(pattern, subject)).toBe(expected);
  });
});

describe("invalid patterns", () => {
  it.each([
    ["(", "unclosed group"],
    ["(?", "unclosed group"],
    [")", "unopened group"],
    ["a{", "unclosed counted repetition"],
    ["a{2", "unclosed counted repetition"],
    ["a{}", "repetition quantifier expects a valid decimal"],
    ["a{,2}", "repetition quantifier expects a valid decimal"],
    ["a{2,1}", "invalid repetition count range, the start must be <= the end"],
    ["a{4294967296}", "decimal literal invalid"],
    ["*", "repetition operator missing expression"],
    ["a|+", "repetition operator missing expression"],
    ["(?)", "repetition operator missing expression"],
    ["[", "unclosed character class"],
    ["[]", "unclosed character class"],
    ["[a", "unclosed character class"],
    ["[z-a]", "invalid character class range, the start must be <= the end"],
    ["\\d", "Unicode-aware Perl class not found"],
    ["\\W", "Unicode-aware Perl class not found"],
    ["[\\s]", "Unicode-aware Perl class not found"],
    ["[\\A]", "invalid escape sequence found in character class"],
    ["\\", "incomplete escape sequence, reached end of pattern prematurely"],
    ["\\x4", "incomplete escape sequence, reached end of pattern prematurely"],
    ["\\q", "unrecognized escape sequence"],
    ["\\é", "unrecognized escape sequence"],
    ["\\1", "backreferences are not supported"],
    ["\\xZZ", "invalid hexadecimal digit"],
    ["\\x{}", "hexadecimal literal empty"],
    ["\\x{110000}", "hexadecimal literal is not a Unicode scalar value"],
    ["\\x{D800}", "hexadecimal literal is not a Unicode scalar value"],
    ["\\pL", "Unicode property classes are not available"],
    ["\\b", "Unicode-aware word boundaries are not available"],
    ["\\<", "Unicode-aware word boundaries are not available"],
    ["(?=a)", "look-around, including look-ahead and look-behind, is not supported"],
    ["(?<!a)", "look-around, including look-ahead and look-behind, is not supported"],
    ["(?i)a", "inline flags are not supported"],
    ["(?P<n>a)(?<n>b)", "duplicate capture group name"],
    ["(?<>a)", "empty capture group name"],
    ["(?<1>a)", "invalid capture group character"],
    ["(?<n", "unclosed capture group name"],
  ])("%j: %s", (pattern, message) => {
    expect(m.regexError(pattern)).toBe(message);
    expect(m.regexMatches(pattern, ["a"])).toBe("E");
  });
});

describe("limits", () => {
  it("nests at most 250 levels deep, counted like the reference", () => {
    // `\A` + groups: the concatenation is one level, each group another
    expect(m.regexError("\\A" + "(".repeat(249) + "a" + ")".repeat(249))).toBe("");
    expect(m.regexError("\\A" + "(".repeat(250) + "a" + ")".repeat(250))).toBe(
      "exceed the maximum number of nested parentheses/brackets (250)",
    );
    expect(m.regexError("[".repeat(300) + "a" + "]".repeat(300))).toContain("nested");
    expect(m.regexError("a" + "*".repeat(300))).toContain("nested");
  });

  it("compiles to at most 32768 instructions", () => {
    expect(m.regexError("a{1000}")).toBe("");
    expect(m.regexError("a{100000}")).toBe("compiled regex exceeds size limit (32768 instructions)");
    expect(m.regexError("((a{1000}){1000}){1000}")).toContain("size limit");
    expect(m.regexError("x".repeat(40000))).toContain("size limit");
  });
});

interface OracleCase {
  pattern: string;
  subjects: string[];
  /** one "1"/"0" per subject, or null when the pattern does not compile */
  matches: string | null;
}

// Random patterns run through the Rust `regex` crate 1.13 built like the reference's
// (default features off, `std` + `perf`: no Unicode tables).
describe("agrees with the reference's engine", () => {
  it.each((oracle as OracleCase[]).map((c) => [c.pattern, c] as const))("%j", (_pattern, c) => {
    const result = m.regexMatches(c.pattern, c.subjects);
    if (c.matches === null) expect(m.regexError(c.pattern)).not.toBe("");
    else expect(result).toBe(c.matches);
  });
});
