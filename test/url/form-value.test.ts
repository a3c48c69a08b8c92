// A credential in the query is found without decoding every pair (names compared in place, only
// the matching value decoded): it must be exactly the value full decoding gives first for the name.
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./corpus";
import { loadUrlUnit, type UrlUnit } from "./support";

let m: UrlUnit;
beforeAll(async () => { m = await loadUrlUnit(); });

/** the first value of `name` among the decoded pairs, as the credential lookup took it before */
function decodedValue(query: string, name: string): string | null {
  const pairs = m.formDecodePairs(query);
  for (let j = 0; j + 1 < pairs.length; j += 2) if (pairs[j] === name) return pairs[j + 1];
  return null;
}

describe("query parameter lookup", () => {
  it.each([
    ["user_key=abc123&page=2", "user_key", "abc123"],
    ["page=2&user_key=abc123", "user_key", "abc123"],
    ["user_key=a&user_key=b", "user_key", "a"],
    ["user_key", "user_key", ""],
    ["user_key=", "user_key", ""],
    ["user_key=a=b", "user_key", "a=b"],
    ["&&user_key=x&", "user_key", "x"],
    ["user_keys=x&user_key2=y", "user_key", null],
    ["xuser_key=x", "user_key", null],
    ["=v&k=", "", "v"],
    ["", "user_key", null],
  ])("%j, %j → %j", (query, name, value) => {
    expect(m.formValue(query, name)).toBe(value);
    expect(decodedValue(query, name)).toBe(value);
  });

  it.each([["a%20b=1", "a b", "1"], ["a+b=1", "a b", "1"], ["k=é", "k", "é"], ["k=%41", "k", "A"], ["%6B=1&k=2", "k", "1"]])(
    "%j: a name or value that needs decoding is decoded (%j → %j)", (query, name, value) => {
      expect(m.formValue(query, name)).toBe(value);
    });

  it("agrees with full decoding on 5000 random plain queries", () => {
    const alphabet = [..."ab=&;~._-0", "ab", "user_key", "&user_key="];
    const names = ["a", "b", "ab", "", "user_key", "a=b", "b;"];
    const next = rng(11);
    const bad: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const q = Array.from({ length: Math.floor(next() * 16) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
      const name = names[Math.floor(next() * names.length)];
      if (m.formValue(q, name) !== decodedValue(q, name)) bad.push(`${q} ${name}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});
