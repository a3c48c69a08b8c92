// Glob syntax of docs/configuration.md §7.1 (shared by `authorities` and the `glob` operation).
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps } from "./support";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("glob"); });

const match = (pattern: string, subject: string) => m.globMatch(pattern, subject);

describe("glob matching", () => {
  it.each([
    // `*`: any run, including the empty one, but no line feed
    ["*", "", true], ["*", "anything at all", true], ["*", "a\nb", false], ["a*", "a", true], ["a*c", "abbbc", true],
    ["*", "\n", false], ["a\n*", "a\nb", true],
    // `+`: one or more
    ["+", "", false], ["+", "x", true], ["id+", "id", false], ["id+", "id1", true], ["a+", "a\n", false],
    // `?`: zero or one
    ["a?c", "ac", true], ["a?c", "abc", true], ["a?c", "abbc", false], ["?", "", true], ["a?c", "a\nc", false],
    // anchored, case-sensitive, per Unicode scalar value
    ["basic", "Basic", false], ["Basic", "Basic", true], ["Basic", "Basic ", false], ["Basic", "xBasic", false],
    ["?", "😀", true], ["??", "😀", true], ["+", "😀", true], ["a?b", "a😀b", true], ["é", "é", true], ["?", "é", true],
    // escapes
    ["a\\*b", "a*b", true], ["a\\*b", "axb", false], ["a\\+", "a+", true], ["a\\?", "a?", true], ["a\\?", "a", false],
    ["\\\\", "\\", true], ["a\\.b", "a.b", true], ["a\\ b", "a b", true], ["\\:\\_\\-", ":_-", true],
    // everything else is literal
    ["[ab]", "[ab]", true], ["[ab]", "a", false], ["a.c", "abc", false], ["(a|b)", "(a|b)", true], ["^$#&-~{}", "^$#&-~{}", true],
    // the examples of §7.3
    ["*.example.com", "api.example.com", true], ["*.example.com", ".example.com", true], ["*.example.com", "example.com", false],
    ["+.example.com", ".example.com", false], ["api?.example.com", "api.example.com", true],
    ["api?.example.com", "api1.example.com", true], ["api?.example.com", "api12.example.com", false],
    ["0.0.0.0:*", "0.0.0.0", false], ["C:\\\\*\\\\calc*.exe", "C:\\User\\Alex\\calc.exe", true],
    // from the reference's own fixtures
    ["???", "...", true], ["...", "???", false], ["\\.\\.\\.", "...", true], ["\\\\.\\\\.\\\\.", "\\.\\.\\.", true],
    ["the_asterisk_is_the_\\*_character", "the_asterisk_is_the_?_character", false],
    ["match_one_of_more_+.", "match_one_of_more_.", false], ["*_anything_goes_before", "sa786dn _anything_goes_before", true],
    ["I_want_to_match_mixed_use:_1.\\*_2.\\\\*_3.\\\\\\*_", "I_want_to_match_mixed_use:_1.*_2.\\hello_3.\\*_", true],
    // the literal prefix and suffix around the wildcards are compared directly: they may not overlap
    ["127.0.0.1:*", "127.0.0.1:10000", true], ["127.0.0.1:*", "127.0.0.1", false], ["127.0.0.1:*", "127.0.0.1:1\n", false],
    ["ab*ba", "aba", false], ["ab*ba", "abba", true], ["a?a", "a", false], ["a?a", "aa", true], ["a*b?c", "axbc", true],
    ["a*b?c", "axbyyc", false], ["*.example.com", "a\n.example.com", false], ["x*y", "x😀y", true],
    // a literal surrogate half never matches half of a pair in the subject (matching is per scalar value)
    ["\uD83D*", "😀", false], ["*\uDE00", "😀", false], ["\uD83D*", "\uD83Dx", true], ["*\uDE00", "x\uDE00", true],
  ])("%j ~ %j → %s", (pattern, subject, expected) => {
    expect(match(pattern, subject)).toBe(String(expected));
  });

  it("stays linear on patterns that make backtracking matchers explode", () => {
    const pattern = "*a".repeat(30) + "*b";
    expect(match(pattern, "a".repeat(5000))).toBe("false");
    expect(match("+".repeat(200), "x".repeat(199))).toBe("false");
    expect(match("?".repeat(200) + "y", "x".repeat(200) + "y")).toBe("true");
  });

  it.each(["\\d", "\\w", "\\s", "\\A", "\\z", "\\n", "\\0", "\\9", "\\<", "\\>", "\\é", "ab\\", "\\", "x\\q*"])("rejects %j", (pattern) => {
    expect(match(pattern, "x")).toMatch(/^error: invalid glob pattern/);
  });

  it("rejects a bad pattern of the glob operation at configure time, naming the field", () => {
    expect(runOps(m, [{ glob: ["ok", "\\d+"] }], ["1"]).config_error).toMatch(/^ops\[0\]\.glob\[1\]: invalid glob pattern `\\d\+`/);
    expect(runOps(m, [{ glob: [] }], ["x"]).fail).toBe(true);
  });
});
