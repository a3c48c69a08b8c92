// docs/configuration.md §9.1: splitting the pattern, compiling the path part, and matching
// it against the collapsed request path.
import { beforeAll, describe, expect, it } from "vitest";
import { loadRules, matchesTarget, requestTarget, type RulesUnit } from "./support";

let m: RulesUnit;
beforeAll(async () => {
  m = await loadRules("path");
});

/** Matches `pattern` against a raw `:path`, normalised as a request would be (§2.1). */
function matchesRequest(pattern: string, rawPath: string): boolean {
  const { path, query } = requestTarget(rawPath);
  return matchesTarget(m, pattern, query === null ? path : `${path}?${query}`);
}

describe("§4.3 consequences that surprise users", () => {
  it.each([
    ["/abc", "/abc", true],
    ["/abc", "/abcd", true],
    ["/abc", "/abc/def", true],
    ["/abc$", "/abc", true],
    ["/abc$", "/abcd", false],
    ["/abc$", "/abc?x=1", true], // the query is not part of the path
    ["/abc/", "/abc", false],
    ["/foo/*/bar", "/foo/bar", true], // `*` repeats the `/` before it
    ["/foo/*/bar", "/foo/x/bar", false],
    ["/foo*", "/fo", true],
    ["/v1.json", "/v1xjson", true],
    ["/foo|/bar", "/x/y/bar/z", true], // the second branch is unanchored
    ["/foo|/bar", "/foo", true],
    ["/foo|/bar", "/x/y", false],
    ["/[a-c]at", "/bat", true],
    ["/[a-c]at", "/rat", false],
    ["/a{2}$", "/axyz", true], // `{2}` is a placeholder, never a repetition count
    ["/a{2}$", "/aa/", false],
    ["/products/{id}", "/products/", false],
    ["/products/{id}", "/products/42", true],
    ["/a/{b}/c", "/a//c", false], // collapsed to /a/c
  ])("%s against %s: %s", (pattern, target, expected) => {
    expect(matchesTarget(m, pattern, target)).toBe(expected);
  });

  it.each([
    ["/~user", "/%7Euser", false], // case-sensitive and still percent-encoded
    ["/a/b", "/a%2Fb", false],
    ["/caf%C3%A9", "/café", true],
    ["/foo bar", "/foo bar", false], // the request's space is encoded, the pattern's is not
    ["/a/b", "/a/./b", true],
    ["/b", "/a/../b", true],
    ["/x", "/x#fragment", true],
  ])("%s against the request %s: %s", (pattern, rawPath, expected) => {
    expect(matchesRequest(pattern, rawPath)).toBe(expected);
  });
});

describe("§4.2 splitting at the first `?`", () => {
  it.each([
    ["/x?a=1?b", "/x?a=1?b", true], // the second `?` is literal query text
    ["/x?a=1?b", "/x?a=1", false],
    ["/x?", "/x", true], // a bare `?` behaves like no query constraint
    ["/x?", "/x?anything=1", true],
    ["/x", "/x?anything=1", true], // no `?`: no query constraints
    ["/y?a=1", "/x?a=1", false], // the path part still has to match
  ])("%s against %s: %s", (pattern, target, expected) => {
    expect(matchesTarget(m, pattern, target)).toBe(expected);
  });
});

describe("§4.3 compilation", () => {
  it("collapses runs of `/` in the pattern and in the request path", () => {
    expect(matchesTarget(m, "///foo///bar///", "/foo/bar/")).toBe(true);
    expect(matchesTarget(m, "/foo/bar", "//foo////bar")).toBe(true);
    expect(matchesTarget(m, "/foo/bar$", "/foo/bar//")).toBe(false);
  });

  const allowed = [..."09azAZ_-.~%!$&'()*+,;=@:"];
  const refused = [..."/?#{}\"<>^`|[]\\ é"];
  it.each(allowed)("a placeholder accepts %j", (ch) => {
    expect(matchesTarget(m, "/x/{v}$", `/x/${ch}`)).toBe(true);
  });
  it.each(refused)("a placeholder refuses %j", (ch) => {
    expect(matchesTarget(m, "/x/{v}$", `/x/${ch}`)).toBe(false);
  });

  it.each([
    ["/{a}b}", "/xb}", true], // the nearest `}` closes the placeholder
    ["/{{a}", "/x", true], // `{` inside a placeholder is just content
    ["/{}}", "/x", true], // one character inside: the first `}`
    ["/{a&b}x", "/1x", true], // any content, `&` included
    ["/a\\.b", "/a.b", true], // regex syntax: escaped dot
    ["/a\\.b", "/axb", false],
    ["/p\\$", "/p$", true],
    ["/(a|b)/c", "/b/c", true],
    ["/a+$", "/aaa", true],
    ["/x$", "/x", true],
    ["^/x", "/x/y", true],
  ])("%s against %s: %s", (pattern, target, expected) => {
    expect(matchesTarget(m, pattern, target)).toBe(expected);
  });

  it.each([
    ["/foo(bar", "unclosed group"],
    ["/(", "unclosed group"],
    ["/a)", "unopened group"],
    ["/a{", "unclosed counted repetition"],
    ["/a{}", "repetition quantifier expects a valid decimal"],
    ["/a{\n}", "repetition quantifier expects a valid decimal"], // no placeholder across a line feed
    ["/[a", "unclosed character class"],
    ["/[z-a]", "invalid character class range, the start must be <= the end"],
    ["/a\\", "incomplete escape sequence, reached end of pattern prematurely"],
    ["/(*)", "repetition operator missing expression"],
    ["/a|*", "repetition operator missing expression"],
  ])("rejects %j: %s", (pattern, message) => {
    expect(m.patternCompile(pattern)).toBe(`regex error: ${message}`);
  });
});

describe("reference examples (threescalers path_regex tests)", () => {
  it.each([
    ["/abc", "/aaa", false],
    ["/foo/{wildcard}/bar", "/foo/a%b/bar", true],
    ["/abc\\$", "/abc$", true],
    ["/abc\\$", "/abcd", false],
    ["/foo/bar///", "/foo/bar/", true],
    ["/foo/ /bar", "/foo/ /bar", true],
  ])("%s against %s: %s", (pattern, target, expected) => {
    expect(matchesTarget(m, pattern, target)).toBe(expected);
  });
});
