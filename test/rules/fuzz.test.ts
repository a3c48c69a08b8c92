// Hostile patterns and requests: nothing may trap (a trap surfaces as a thrown
// WebAssembly.RuntimeError), answers must be well formed, and matching must neither blow up on
// pathological patterns nor use memory that grows with the number of matches.
import { beforeAll, describe, expect, it } from "vitest";
import { loadRules, rng, type RulesUnit } from "./support";

let m: RulesUnit;
beforeAll(async () => {
  m = await loadRules("fuzz");
});

const syntax = [
  "a", "b", "/", ".", "*", "+", "?", "*?", "|", "(", ")", "(?:", "(?P<n>", "(?<n>", "(?", "[", "]", "[^",
  "^", "$", "{", "}", "{2}", "{1,}", "{0,3}", "{,", "{99999}", "-", "&&", "--", "~~", ":", "[:alpha:]",
  "\\", "\\A", "\\z", "\\d", "\\W", "\\x", "\\x{", "\\u{1F600}", "\\p", "\\b", "\\0", "\\.", "\\\\",
  "é", "😀", "\ud800", "\udc00", "\n", " ", "%", "=", "{id}",
];

function soup(next: () => number, parts: string[], length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) {
    const r = next();
    // mostly syntax, sometimes any UTF-16 code unit (lone surrogates included)
    s += r < 0.9 ? parts[Math.floor(next() * parts.length)] : String.fromCharCode(Math.floor(next() * 0x10000));
  }
  return s;
}

const subjectParts = ["a", "b", "/", "%2F", "x", "1", "-", "&", "=", "?", "é", "😀", "\ud83d", "\n", " ", "{", "}"];

describe("random patterns", () => {
  it("compile to an error or a matcher that answers every subject", () => {
    const next = rng(1);
    for (let i = 0; i < 5000; i++) {
      const pattern = soup(next, syntax, 1 + Math.floor(next() * 16));
      const subjects = Array.from({ length: 4 }, () => soup(next, subjectParts, Math.floor(next() * 24)));
      const result = m.regexMatches(pattern, subjects);
      if (result === "E") expect(m.regexError(pattern)).not.toBe("");
      else expect(result).toMatch(/^[01]{4}$/);
    }
  });

  it("as mapping rules, compile to an error or match any request", () => {
    const next = rng(2);
    for (let i = 0; i < 3000; i++) {
      const pattern = "/" + soup(next, [...syntax, "?", "&", "a=1", "{v}"], Math.floor(next() * 12));
      const error = m.patternCompile(pattern);
      if (error !== "") {
        expect(error).toMatch(/^regex error: ./);
        continue;
      }
      for (let k = 0; k < 4; k++) {
        const path = "/" + soup(next, subjectParts, Math.floor(next() * 20));
        const query = next() < 0.3 ? null : soup(next, subjectParts, Math.floor(next() * 20));
        expect(typeof m.patternMatches(path, query)).toBe("boolean");
      }
    }
  });
});

describe("huge patterns", () => {
  it.each([
    "(".repeat(100000),
    "[".repeat(100000),
    "(?:a|".repeat(20000),
    "a" + "*".repeat(100000),
    "{".repeat(100000),
    "{a}".repeat(50000),
    "\\x{" + "0".repeat(100000) + "41}",
    "a{99999999}{99999999}",
    "x".repeat(200000),
  ])("are compiled or refused with an error (%#)", (pattern) => {
    expect(typeof m.regexError(pattern)).toBe("string");
    expect(m.patternCompile("/" + pattern)).toMatch(/^(regex error: .+)?$/s);
  });
});

describe("agrees with JavaScript's RegExp where the two dialects coincide", () => {
  // ASCII literals, classes, groups, alternation and repetition mean the same in both.
  const atoms = ["a", "b", "/", ".", "[ab]", "[^a]", "[a-c/]", "\\.", "[0-9]"];
  function expression(next: () => number, depth: number): string {
    let out = "";
    const items = 1 + Math.floor(next() * 3);
    for (let i = 0; i < items; i++) {
      const r = next();
      let item = r < 0.25 && depth < 3 ? `(${expression(next, depth + 1)}|${expression(next, depth + 1)})` : atoms[Math.floor(next() * atoms.length)];
      const q = next();
      if (q < 0.15) item += "*";
      else if (q < 0.25) item += "+";
      else if (q < 0.35) item += "?";
      else if (q < 0.42) item += `{${Math.floor(next() * 3)},${2 + Math.floor(next() * 2)}}`;
      out += item;
    }
    return out;
  }

  it("on random patterns and subjects", () => {
    const next = rng(3);
    for (let i = 0; i < 1500; i++) {
      const pattern = (next() < 0.7 ? "^" : "") + expression(next, 0) + (next() < 0.3 ? "$" : "");
      const subjects = Array.from({ length: 5 }, () => soup(next, ["a", "b", "c", "/", ".", "1", "\n"], Math.floor(next() * 10)));
      const expected = subjects.map((s) => (new RegExp(pattern).test(s) ? "1" : "0")).join("");
      expect([pattern, m.regexMatches(pattern, subjects)]).toEqual([pattern, expected]);
    }
  });
});

describe("pathological patterns", () => {
  // A backtracking engine takes exponential time on these once the subject has a few dozen
  // characters; here every subject character costs at most one step per instruction.
  const long = "a".repeat(5000);
  it.each(["(a*)*b", "(a|aa)*c", "(a+)+$b", "(.*){20}x", "\\A(a|a)*b", "(x+x+)+y", "((a{1,5}){1,5}){1,5}b"])(
    "%j answers on a long subject",
    (pattern) => {
      expect(m.regexMatches(pattern, [long, long + "!"])).toBe("00");
    },
  );

  it("a rule with many placeholders against a long path", () => {
    expect(m.patternCompile("/{a}{b}{c}{d}{e}{f}{g}{h}/x$")).toBe("");
    expect(m.patternMatches("/" + "a".repeat(50000) + "/y", null)).toBe(false);
    expect(m.patternMatches("/" + "a".repeat(50000) + "/x", null)).toBe(true);
  });
});

describe("memory", () => {
  it.each([
    ["/products/{id}/sold?a={v}&b=2", "/products/42/sold", "x=1&b=2&a=9", true],
    ["/(a*)*b|/x", "//" + "a".repeat(300), null, false],
    ["/{a}/{b}", "/p//q", "", true],
  ])("stays constant across repeated matches of %j", (pattern, path, query, matched) => {
    expect(m.patternCompile(pattern)).toBe("");
    expect(m.patternRepeat(path, query, 3)).toBe(matched ? 3 : 0); // warm-up: scratch and caches
    const before = m.memory.buffer.byteLength;
    expect(m.patternRepeat(path, query, 3000)).toBe(matched ? 3000 : 0);
    expect(m.memory.buffer.byteLength).toBe(before);
  });
});
