// docs/configuration.md §9.1: the query part of a pattern against the request's raw query.
import { beforeAll, describe, expect, it } from "vitest";
import { loadRules, matchesTarget, type RulesUnit } from "./support";

let m: RulesUnit;
beforeAll(async () => {
  m = await loadRules("query");
});

describe("§4.4 consequences", () => {
  it.each([
    // order does not matter; extra parameters are ignored
    ["/x?a=1&b=2", "/x?b=2&c=3&a=1", true],
    ["/x?a=1&b=2", "/x?b=2", false],
    // literal values are prefix tests on the raw `key=value` text
    ["/x?a=1", "/x?a=1", true],
    ["/x?a=1", "/x?a=10", true],
    ["/x?a=1", "/x?a=1x", true],
    ["/x?a=1", "/x?ba=1", false],
    ["/x?a=1", "/x?A=1", false],
    ["/x?a", "/x?apple=3", true],
    // a placeholder needs one character of its class; only that first one is really checked
    ["/x?redirect={url}", "/x?redirect=http://a/b", true],
    ["/x?redirect={url}", "/x?redirect=/a/b", false],
    ["/x?a={v}", "/x?a=", false],
    ["/x?a={v}", "/x?a", false],
    ["/x?a={v}", "/x?a={foo}", false],
    // placeholders may appear in keys
    ["/x?l{an}g={code}", "/x?lang=ca", true],
    ["/x?l{an}g={code}", "/x?l.g=ca", true],
    // repeated parameters, and greedy assignment without backtracking
    ["/x?speed=2x", "/x?speed=3x&speed=2x", true],
    ["/x?speed=2x", "/x?speed=2x&speed=3x", true],
    ["/x?a={x}&a=1", "/x?a=1&a=2", false],
    ["/x?a={x}&a=1", "/x?a=2&a=1", true],
    // an empty pattern element consumes one request element
    ["/x?a=1&", "/x?a=1", false],
    ["/x?a=1&", "/x?a=1&", true],
    ["/x?&a=1", "/x?b&a=1", true],
    ["/x?a=1&&b", "/x?a=1&b", false], // the empty element takes `b` first
    ["/x?a=1&&b", "/x?a=1&&b", true],
    // a pattern ending in a bare `?` behaves like no query constraint
    ["/x?", "/x", true],
    ["/x?", "/x?a=1&b=2", true],
    // values are compared percent-encoded
    ["/x?q=hello", "/x?q=hell%6F", false],
    ["/x?q=%20", "/x?q=%20", true],
  ])("%s against %s: %s", (pattern, target, expected) => {
    expect(matchesTarget(m, pattern, target)).toBe(expected);
  });

  it.each([
    ["/x?v=1.5", "/x?v=1x5", false], // unlike the path, regex characters are literal here
    ["/x?v=1.5", "/x?v=1.5", true],
    ["/x?p=a+b", "/x?p=a+b", true],
    ["/x?p=a+b", "/x?p=aab", false],
    ["/x?t=$9", "/x?t=$9", true],
    ["/x?g=(a|b)", "/x?g=(a|b)", true],
    ["/x?g=(a|b)", "/x?g=a", false],
    ["/x?r=[a]", "/x?r=[a]", true],
    ["/x?k=\\d", "/x?k=\\d", true],
  ])("literal query text: %s against %s: %s", (pattern, target, expected) => {
    expect(matchesTarget(m, pattern, target)).toBe(expected);
  });

  it("a request without a query has one empty element", () => {
    m.patternCompile("/x?a=1");
    expect(m.patternMatches("/x", null)).toBe(false);
    m.patternCompile("/x?");
    expect(m.patternMatches("/x", null)).toBe(true);
    m.patternCompile("/x?&");
    expect(m.patternMatches("/x", null)).toBe(false);
    expect(m.patternMatches("/x", "&")).toBe(true);
  });

  it("splits the request query on every `&`, empty elements included", () => {
    m.patternCompile("/x?a&a&a");
    expect(m.patternMatches("/x", "a&a&a")).toBe(true);
    expect(m.patternMatches("/x", "a&&a&a")).toBe(true);
    expect(m.patternMatches("/x", "a&a")).toBe(false);
    expect(m.patternMatches("/x", "a&a&")).toBe(false);
  });
});

describe("reference examples (threescalers RestRule tests)", () => {
  it.each([
    ["/", false],
    ["/auto", false],
    ["/auto?", false],
    ["/auto?w=hello&color=red&maybe_empty", false],
    ["/auto?w=hello&color=red&maybe_empty=", true],
    ["/auto-matic?w=hello&maybe_empty=&color=green", true],
    ["/auto?maybe_empty=its-full-now&color=blue&w=hello", true],
    ["/auto-matic?color=black&w=hello&maybe_empty=&", true],
    ["/auto-matic?w=hello&color&maybe_empty=", false],
  ])("/auto?maybe_empty=&w=hello&color={color} against %s: %s", (target, expected) => {
    expect(matchesTarget(m, "/auto?maybe_empty=&w=hello&color={color}", target)).toBe(expected);
  });

  const targets: Array<[string, boolean]> = [
    ["/abc/v1/id$?fmt=html&lang=ca&s=1&t=$9", true],
    ["///abc/v1//id$?fmt=html&lang=ca&s=1&t=$9", true],
    ["/abc/v1/v2/id$?fmt=html&lang=ca&s=1&t=$9", false],
    ["/abc/v1./id$?fmt=html&lang=ca&other=70&s=1&z=2&t=$9", true],
    ["/abc//v2/id$?misc=1&t=$9&fmt=html&z=2&s=1&leng=en", true],
    ["/abc/v2/id$?misc=1&t=$998&fmt=html&z=2&s=1&l.g=ca", true],
    ["/abc/v1.1/id$?missing_required_params=1", false],
    ["/abc/v1/id$?fmt=html&lang=ca&other=70&s=2&z=1&t=$9", false],
    ["/abc/v1/id$?fmt=json&lang=ca&other=70&z=2", false],
    ["/abc/v1/id?fmt=json&lang=ca&other=70&s=1&z=2&t=$9", false],
  ];
  it("every order of the query elements of /abc/v{version}/id\\$$?fmt={fmt}&l{an}g={code}&s=1&t=$9", () => {
    for (const order of permutations(["fmt={fmt}", "l{an}g={code}", "s=1", "t=$9"])) {
      const pattern = `/abc/v{version}/id\\$$?${order.join("&")}`;
      for (const [target, expected] of targets) expect([pattern, target, matchesTarget(m, pattern, target)]).toEqual([pattern, target, expected]);
    }
  });
});

function permutations(items: string[]): string[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
