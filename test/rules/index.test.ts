// The rule index never loses a rule a full scan would match, and keeps rule order.
import { beforeAll, describe, expect, it } from "vitest";
import { loadAsUnit } from "../support/as-unit";

let m: { scanVersusIndex(patterns: string[], path: string, query: string | null): string };
beforeAll(async () => { m = await loadAsUnit("test/as/rules/index.ts"); });

function check(patterns: string[], path: string, query: string | null = null): { matched: number[]; candidates: number[] } {
  const [matched, candidates] = m.scanVersusIndex(patterns, path, query).split("|").map((s) => (s ? s.split(",").map(Number) : []));
  for (const i of matched) expect(candidates, `rule ${i} (${patterns[i]}) matches ${path} but is not a candidate`).toContain(i);
  expect(candidates).toEqual([...candidates].sort((a, b) => a - b));
  return { matched, candidates };
}

describe("the mapping-rule index", () => {
  it("narrows 1,000 placeholder rules to the one that can match", () => {
    const patterns = Array.from({ length: 1000 }, (_, i) => `/resource${i}/{id}/items`);
    const { matched, candidates } = check(patterns, "/resource999/42/items");
    expect(matched).toEqual([999]);
    expect(candidates).toEqual([999]);
  });

  it.each([
    [["/", "/products/", "/products/{id}/sold", "/orders"], "/products/1/sold"],
    [["/foo|/bar", "/x"], "/zzz/bar"],
    [["/ab*c", "/ab+c", "/a?b", "/a.c", "/[a-c]at", "/(ab)?c"], "/c"],
    [["/abc$", "/abc", "/ab"], "/abc"],
    [["//a//b", "/a/b"], "//a///b"],
    [["/x?q={v}", "/x"], "/x"],
    [["\\/a", "/\\.", "/caf%C3%A9"], "/a"],
  ])("keeps every rule a full scan matches: %j on %s", (patterns, path) => {
    check(patterns, path, path === "/x" ? "q=1" : null);
  });

  it("agrees with a full scan on random rule sets and paths", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const atoms = ["/", "a", "b", "ab", "{id}", ".", "*", "+", "?", "$", "|", "(a|b)", "[ab]", "\\.", "//"];
    const pathAtoms = ["/", "a", "b", "ab", "1", ".", "//", "x"];
    for (let round = 0; round < 300; round++) {
      const patterns = Array.from({ length: 1 + rand(8) }, () => "/" + Array.from({ length: rand(5) }, () => atoms[rand(atoms.length)]).join(""));
      const valid = patterns.filter((p) => !m.scanVersusIndex([p], "/", null).startsWith("invalid"));
      if (valid.length === 0) continue;
      const path = "/" + Array.from({ length: rand(6) }, () => pathAtoms[rand(pathAtoms.length)]).join("");
      check(valid, path);
    }
  });
});
