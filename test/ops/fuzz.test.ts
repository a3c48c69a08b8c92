// Fuzzing: thousands of random operation lists (the 44 names, valid and broken parameters,
// nesting) on random stacks with hostile strings. Nothing may trap; outcomes stay well-formed.
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit } from "./support";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("fuzz"); });

let seed = 0x2545f491;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => rand() < p;

const NAMES = ["base64_standard", "base64_urlsafe", "strlen", "strrev", "split", "rsplit", "replace", "prefix", "suffix",
  "substr", "glob", "length", "join", "reverse", "contains", "push", "pop", "dup", "xchg", "take", "drop", "swap", "indexes",
  "flat_map", "select", "values", "ok", "fail", "any", "one_of", "all", "none", "assert", "refute", "test", "and", "or", "xor",
  "cloned", "partial", "top", "log", "json", "protobuf"] as const;

const HOSTILE = [
  "", ":", "a:b:c", "::::", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "YQ==", "YQ=", "Pz8_", "/w==", "Cg0KA2F6cBIGGgRhcHAx",
  "😀", "e\u0301", "\n", "a\nb", "\u0000", "\\", "\"", "{", '{"a":"b"}', '{"azp":5,"aud":"x"}',
  '["a","b"]', '"plain"', "[".repeat(200), '{"a":' + "[".repeat(127) + "]".repeat(127) + "}", "x".repeat(3000),
  ":".repeat(1500), "ab".repeat(700), "\n\r\n\u0003azp\u0012\u0006\u001a\u0004app1", "\u0008\u0080", "é".repeat(100),
];
// Random code points, but no lone surrogates: stack values come from UTF-8 decoding, which
// never produces them (and the harness passes stacks as JSON, which rejects them).
const codePoint = () => { const c = int(0x110000 - 0x800); return c < 0xd800 ? c : c + 0x800; };
const hostile = () => (chance(0.15) ? Array.from({ length: int(12) }, () => String.fromCodePoint(codePoint())).join("") : pick(HOSTILE));
const SIZES = [0, 1, 2, 3, 7, 1024, 4294967295, null, -1, 1.5, "2", 4294967296];
const INDEXES = [0, 1, 2, -1, -2, -3, 2147483647, -2147483648, 9];
const STEPS = ["", "0", "1", "a", "azp", "aud", "-1", "+0", "true", "5", "5.0", "plain", "x"];
const GLOBS = ["*", "+", "?", "a*", "*b*", "\\*", "\\\\", "a?c", "Basic", "*a*a*a*b", "\\d", "x\\", "😀?", "[ab]"];

function value(kind: string, depth: number): unknown {
  if (chance(0.03)) return pick([null, 1, "s", [], {}, true]); // wrong type: a configuration error
  switch (kind) {
    case "str": return hostile();
    case "size": return pick(SIZES);
    case "index": return pick(INDEXES);
    case "ops": return opList(depth + 1);
    case "strs": return Array.from({ length: int(3) }, () => pick(STEPS));
  }
  return null;
}

/** field name and kind, in canonical order */
const OBJECTS: Record<string, Array<[string, string]>> = {
  strlen: [["min", "size"], ["max", "size"], ["mode", "mode"]], split: [["separator", "str"], ["max", "size"]],
  rsplit: [["separator", "str"], ["max", "size"]], replace: [["pattern", "str"], ["with", "str"], ["max", "size"]],
  length: [["min", "size"], ["max", "size"]], take: [["head", "size"], ["tail", "size"]], drop: [["head", "size"], ["tail", "size"]],
  swap: [["from", "index"], ["to", "index"]], values: [["level", "level"], ["id", "str"]],
  test: [["if", "op"], ["then", "ops"], ["else", "ops"]], cloned: [["result", "result"], ["ops", "ops"]],
  partial: [["result", "result"], ["ops", "ops"], ["max", "size"]], log: [["level", "level"], ["msg", "str"]],
  json: [["path", "strs"], ["keys", "strs"]], protobuf: [["path", "strs"], ["keys", "strs"]],
};
const SINGLE: Record<string, string> = {
  join: "str", contains: "str", push: "str", xchg: "str", prefix: "str", suffix: "str", substr: "str", glob: "globs", indexes: "indexes",
  flat_map: "ops", select: "ops", any: "ops", one_of: "ops", all: "ops", none: "ops", assert: "ops", refute: "ops", and: "ops",
  or: "ops", xor: "ops", top: "ops",
};

function field(kind: string, depth: number): unknown {
  if (kind === "mode") return pick(["utf8", "Bytes", "bytes"]);
  if (kind === "level") return pick(["trace", "debug", "info", "warn", "error", "critical", "warning"]);
  if (kind === "result") return pick(["append", "prepend", "replace"]);
  if (kind === "op") return op(depth + 1);
  return value(kind, depth);
}

function op(depth: number): unknown {
  const name = chance(0.01) ? pick(["Reverse", "len", "decode", "lowercase"]) : pick(NAMES);
  if (name in OBJECTS) {
    const fields = OBJECTS[name];
    if (chance(0.3)) return { [name]: fields.map(([, kind]) => (chance(0.2) ? null : field(kind, depth))) };
    const obj: Record<string, unknown> = {};
    for (const [fname, kind] of fields) if (chance(0.6)) obj[fname] = field(kind, depth);
    if (chance(0.05)) obj.unknown = 1;
    return { [name]: obj };
  }
  if (name in SINGLE) {
    const kind = SINGLE[name];
    if (kind === "globs") return { glob: Array.from({ length: int(3) }, () => pick(GLOBS)) };
    if (kind === "indexes") return { indexes: Array.from({ length: int(4) }, () => pick(INDEXES)) };
    return { [name]: value(kind, depth) };
  }
  if (name === "pop") return { pop: pick([null, 0, 1, 2, 5]) };
  if (name === "dup") return { dup: pick([null, ...INDEXES]) };
  return chance(0.5) ? name : { [name]: null };
}

function opList(depth: number): unknown[] {
  const n = depth > 3 ? int(2) : int(5);
  return Array.from({ length: n }, () => op(depth));
}

describe("fuzz", () => {
  it("random pipelines never trap and always give a well-formed outcome", () => {
    let ran = 0;
    let configErrors = 0;
    for (let i = 0; i < 4000; i++) {
      const ops = opList(0);
      const stack = Array.from({ length: int(5) }, hostile);
      const opsJson = JSON.stringify(ops);
      let text = "";
      expect(() => { text = m.run(opsJson, JSON.stringify(stack), "ops"); }, opsJson).not.toThrow();
      const outcome = JSON.parse(text);
      if (outcome.config_error !== undefined) {
        expect(outcome.config_error).toMatch(/^ops/);
        configErrors++;
      } else if (!outcome.fail) {
        expect(Array.isArray(outcome.stack)).toBe(true);
        expect(outcome.stack.length).toBeLessThanOrEqual(Math.max(1024, stack.length));
        if (ops.length > 0) expect(outcome.stack.length).toBeGreaterThan(0);
        ran++;
      }
    }
    // the generator exercises both paths
    expect(ran).toBeGreaterThan(200);
    expect(configErrors).toBeGreaterThan(200);
  });

  it("random globs and subjects never trap", () => {
    const alphabet = ["a", "b", "*", "+", "?", "\\", "\n", "😀", "é", ".", "[", "<", "0"];
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: int(10) }, () => pick(alphabet)).join("");
      const subject = Array.from({ length: int(12) }, () => pick(alphabet)).join("");
      expect(() => m.globMatch(pattern, subject)).not.toThrow();
    }
  });

  it("random selection steps never trap", () => {
    const docs = ['{"a":"x","0":"y"}', '["a","b"]', "5", "-0.5e3", "true", "null", '"s"', '{"only":{"k":"v"}}', "{}", "[]"];
    for (let i = 0; i < 2000; i++) {
      const stepText = chance(0.5) ? pick(STEPS) : Array.from({ length: int(6) }, () => pick(["1", "e", ".", "+", "-", "n", "a", "i", "f"])).join("");
      expect(() => m.step(pick(docs), stepText)).not.toThrow();
    }
  });
});
