import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./corpus";
import { loadUrlUnit, type UrlUnit } from "./support";

let m: UrlUnit;
beforeAll(async () => {
  m = await loadUrlUnit();
});

describe("configuration §9.4 query-string decoding", () => {
  it.each([
    ["user_key=%zz1", ["user_key", "%zz1"]],
    ["user_key=a+b", ["user_key", "a b"]],
    ["user_key=a%20b", ["user_key", "a b"]],
    ["user_key=%FF", ["user_key", "\uFFFD"]],
    ["user%5Fkey=x", ["user_key", "x"]],
    ["user_key=a=b", ["user_key", "a=b"]],
    ["user_key", ["user_key", ""]],
    ["&&a=1&&b=2&", ["a", "1", "b", "2"]],
    ["a=1;b=2", ["a", "1;b=2"]],
    ["api_key=abc%2Bdef%3D&page=2", ["api_key", "abc+def=", "page", "2"]],
    ["user_key=u&api_key=a", ["user_key", "u", "api_key", "a"]],
    ["=v&k=", ["", "v", "k", ""]],
    ["", []],
    ["%", ["%", ""]],
    ["k=%e2%82%ac%E2%82", ["k", "€\uFFFD"]],
    ["k=%F0%9F%98%80%C0%AF", ["k", "😀\uFFFD\uFFFD"]],
    ["k=%ED%A0%80", ["k", "\uFFFD\uFFFD\uFFFD"]],
  ])("%j", (query, pairs) => {
    expect(m.formDecodePairs(query)).toEqual(pairs);
  });

  it("keeps raw non-ASCII text", () => {
    expect(m.formDecodePairs("é=😀+\uD800")).toEqual(["é", "😀 \uFFFD"]);
  });

  it("agrees with URLSearchParams on 5000 random ASCII queries", () => {
    // ASCII only, as the normalised request query is: Node 20's URLSearchParams garbles raw
    // non-ASCII characters that follow an invalid escape sequence.
    const alphabet = [..."ab=&+%2e0fFzZ; ~", "%FF", "%C3", "%A9", "%e2%82", "%ED%A0%80", "%F0%9F%98%80"];
    const next = rng(9);
    const bad: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const q = Array.from({ length: Math.floor(next() * 16) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
      const expected = [...new URLSearchParams(q.startsWith("?") ? "&" + q : q)].flat();
      if (JSON.stringify(m.formDecodePairs(q)) !== JSON.stringify(expected)) bad.push(q);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it("looks a name up as the first matching pair, decoding names only where needed", () => {
    const alphabet = [..."ab=&+%2e0fFzZ;_ ~", "%61", "%FF", "%5F", "é", "%e2%82"];
    const next = rng(17);
    const bad: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const q = Array.from({ length: Math.floor(next() * 16) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
      const pairs = m.formDecodePairs(q);
      for (const name of ["a", "b", "", "a_b", " ", "\uFFFD", "é", pairs[0] ?? "zz"]) {
        const at = pairs.findIndex((p, j) => j % 2 === 0 && p === name);
        const value = m.formValue(q, name);
        if (value !== (at < 0 ? null : pairs[at + 1])) bad.push(`${JSON.stringify(q)} ${JSON.stringify(name)} → ${JSON.stringify(value)}`);
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(m.formValue("user%5Fkey=x&user_key=y", "user_key")).toBe("x");
    expect(m.formValue("user_key&user_key=y", "user_key")).toBe("");
  });
});

describe("authorization-flow §5.2 parameter value encoding", () => {
  it.each([
    ["abc+def=", "abc%2Bdef%3D"],
    ["9f8e7d", "9f8e7d"],
    ["A-Z_a.z~09", "A-Z_a.z~09"],
    ["a b&c#d%e/[x]", "a%20b%26c%23d%25e%2F%5Bx%5D"],
    ["é😀", "%C3%A9%F0%9F%98%80"],
    ["\uD800", "%EF%BF%BD"],
    ["*'()!", "%2A%27%28%29%21"],
    ["", ""],
  ])("%j → %s", (value, expected) => {
    expect(m.percentEncodeComponent(value)).toBe(expected);
  });

  it("matches encodeURIComponent plus !'()* on every BMP code unit", () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join("") + "😀";
    const expected = encodeURIComponent(all.toWellFormed()).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
    expect(m.percentEncodeComponent(all)).toBe(expected);
  });
});
