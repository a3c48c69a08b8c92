// Edge cases of docs/operations.md §4–§5 beyond the published tables: empty separators and patterns,
// Unicode, strict Base64, the single-step selection rule, JSON acceptance, nested pipelines.
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps, verdict } from "./support";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("semantics"); });

const run = (ops: unknown, input: string[]) => verdict(runOps(m, ops, input));
const one = (op: unknown, input: string[]) => run([op], input);

describe("split, rsplit, replace", () => {
  it.each([
    [{ split: {} }, [""], [""]],
    [{ split: { separator: "::" } }, ["a::b:::c"], ["a", "b", ":c"]],
    [{ split: { separator: "" } }, ["ab"], ["", "a", "b", ""]],
    [{ split: { separator: "", max: 2 } }, ["ab"], ["", "ab"]],
    [{ split: { separator: "", max: 3 } }, ["abc"], ["", "a", "bc"]],
    [{ split: { separator: "" } }, [""], ["", ""]],
    [{ split: { separator: "" } }, ["a😀"], ["", "a", "😀", ""]],
    [{ split: { max: 0 } }, ["a:b:c"], ["a", "b", "c"]],
    [{ split: { max: 4294967295 } }, ["a:b"], ["a", "b"]],
    [{ split: { separator: "aa" } }, ["aaa"], ["", "a"]],
    [{ rsplit: { separator: "aa" } }, ["aaa"], ["", "a"]],
    [{ rsplit: { max: 1 } }, ["a:b"], ["a:b"]],
    [{ rsplit: { separator: "", max: 2 } }, ["ab"], ["", "ab"]],
    [{ rsplit: { separator: "" } }, ["😀b"], ["", "b", "😀", ""]],
    [{ rsplit: { separator: "::" } }, ["a:::b"], ["b", "a:"]],
    [{ rsplit: {} }, ["keep:", "x"], ["keep:", "x"]],
    [{ replace: { pattern: "", with: "-" } }, ["abc"], ["-a-b-c-"]],
    [{ replace: { pattern: "", with: "-", max: 2 } }, ["abc"], ["-a-bc"]],
    [{ replace: { pattern: "", with: "-" } }, [""], ["-"]],
    [{ replace: { pattern: "", with: "-" } }, ["😀"], ["-😀-"]],
    [{ replace: { pattern: "x", with: "y" } }, ["abc"], ["abc"]],
    [{ replace: { pattern: "a", with: "" } }, ["banana"], ["bnn"]],
    [{ replace: { pattern: "a", with: "aa", max: 0 } }, ["aa"], ["aaaa"]],
  ])("%j on %j", (op, input, expected) => {
    expect(one(op, input as string[])).toEqual(expected);
  });
});

describe("strings and Unicode", () => {
  it("reverses by code points and counts UTF-8 bytes", () => {
    expect(one("strrev", ["a😀b"])).toEqual(["b😀a"]);
    expect(one("strrev", ["e\u0301x"])).toEqual(["x\u0301e"]);
    expect(one({ strlen: { min: 4, max: 4 } }, ["😀"])).toEqual(["😀"]);
    expect(one({ strlen: { min: 2, max: 2 } }, ["é"])).toEqual(["é"]);
    expect(one({ strlen: { max: 0 } }, [""])).toEqual([""]);
  });
  it("checks affixes byte-wise, an empty affix always matching", () => {
    for (const op of [{ prefix: "" }, { suffix: "" }, { substr: "" }]) expect(one(op, [""])).toEqual([""]);
    expect(one({ suffix: "😀" }, ["a😀"])).toEqual(["a😀"]);
    expect(one({ substr: "ab" }, ["a"])).toBe("fails");
    expect(one({ prefix: "abc" }, ["ab"])).toBe("fails");
  });
  it("contains compares whole values", () => {
    expect(one({ contains: "" }, ["a", ""])).toEqual(["a", ""]);
    expect(one({ contains: "A" }, ["a"])).toBe("fails");
  });
});

describe("strict Base64", () => {
  it.each([
    ["base64_standard", "YQ==", ["a"]], ["base64_standard", "YWI=", ["ab"]], ["base64_standard", "YWJj", ["abc"]],
    ["base64_standard", "+/+/", "fails"], // valid Base64 but bytes fb ff bf: not UTF-8
    ["base64_standard", "4pyT", ["✓"]], ["base64_urlsafe", "4pyT", ["✓"]],
    ["base64_standard", "YQ=", "fails"], ["base64_standard", "YQ", "fails"], ["base64_standard", "YQ===", "fails"],
    ["base64_standard", "Y===", "fails"], ["base64_standard", "====", "fails"], ["base64_standard", "=YQ=", "fails"],
    ["base64_standard", "YR==", "fails"], ["base64_standard", "YWJ=", "fails"], ["base64_standard", "YWI=YWI=", "fails"],
    ["base64_standard", "YW I=", "fails"], ["base64_standard", "YWI=\n", "fails"], ["base64_standard", " YWJj", "fails"],
    ["base64_standard", "Pz8_", "fails"], ["base64_urlsafe", "Pz8/", "fails"], ["base64_standard", "Pz8/", ["???"]],
    ["base64_standard", "/w==", "fails"], ["base64_standard", "wyg=", "fails"], ["base64_standard", "7aCA", "fails"],
    ["base64_standard", "YWJj\u00e9", "fails"], ["base64_standard", "😀😀", "fails"], ["base64_urlsafe", "", [""]],
    ["base64_standard", "AA==", ["\u0000"]],
  ])("%s %j", (op, input, expected) => {
    expect(one(op, [input])).toEqual(expected);
  });
});

describe("the single-step selection rule", () => {
  it.each([
    ['{"a":"x"}', "a", '"x"'], ['{"a":"x"}', "b", "none"], ['{"a":"x"}', "0", '"x"'], ['{"a":"x","b":"y"}', "0", "none"],
    ['{"0":"zero","a":"x"}', "0", '"zero"'], ['{"a":"x","a":"y"}', "0", '"y"'], ['{"a":"x","a":"y"}', "a", '"y"'],
    ['{"":"e"}', "", '"e"'], ["{}", "0", "none"],
    ['["a","b"]', "1", '"b"'], ['["a","b"]', "+1", '"b"'], ['["a","b"]', "001", '"b"'], ['["a","b"]', "2", "none"],
    ['["a","b"]', "-1", "none"], ['["a","b"]', "1.0", "none"], ['["a","b"]', " 1", "none"], ['["a","b"]', "", "none"],
    ['["a","b"]', "+", "none"], ['["a"]', "99999999999999999999", "none"],
    ['"abc"', "abc", '"abc"'], ['"abc"', "ABC", "none"], ['""', "", '""'],
    ["5", "5", '{"$number":"5"}'], ["5", "5.0", '{"$number":"5"}'], ["5", "+5e0", '{"$number":"5"}'], ["5", "5.", '{"$number":"5"}'],
    ["0.5", ".5", '{"$number":"0.5"}'], ["5", "6", "none"], ["5", "five", "none"], ["5", "", "none"], ["5", "0x5", "none"],
    ["5", " 5", "none"], ["5", "5e", "none"], ["5", ".", "none"], ["1e300", "1e300", '{"$number":"1e300"}'],
    ["0", "-0", '{"$number":"0"}'], ["1", "inf", "none"], ["1", "nan", "none"],
    ["true", "true", "true"], ["true", "false", "none"], ["false", "false", "false"], ["true", "True", "none"], ["true", "1", "none"],
    ["null", "null", "none"], ["null", "", "none"],
  ])("%s step %j → %s", (doc, step, expected) => {
    expect(m.step(doc, step)).toBe(expected);
  });
});

describe("json", () => {
  const json = (keys: string[], doc: string, path: string[] = []) => one({ json: { path, keys } }, [doc]);
  it("selects per keys phase and result rules", () => {
    expect(json(["a"], '{"a":"1","a":"2"}')).toEqual(["2"]);
    expect(json(["b", "0"], '{"only":"v"}')).toEqual(["v"]);
    expect(json(["x", "1"], '["a","b"]')).toEqual(["b"]);
    expect(json(["5"], "5")).toBe("fails");
    expect(json(["true"], "true")).toBe("fails");
    expect(json(["a"], "null")).toBe("fails");
    expect(json(["a"], '{"a":null}')).toBe("fails");
    expect(json(["a"], '{"a":{"b":"c"}}')).toBe("fails");
    expect(json(["a", "b"], '{"a":5,"b":"x"}')).toBe("fails");
    expect(json(["b"], '{"a":{"b":"c"}}', ["", "a", ""])).toEqual(["c"]);
    expect(json(["b"], '{"a":{"b":"c"}}', ["x"])).toBe("fails");
    expect(json(["b"], '{"":{"b":"c"}}', [""])).toBe("fails");
    expect(json([""], '{"":"e"}')).toEqual(["e"]);
    expect(json(["k"], ' \n{"k":"\\u00e9\\ud83d\\ude00"}\t ')).toEqual(["é😀"]);
  });
  it("accepts only what the reference's JSON parser accepts", () => {
    for (const bad of ['{"a":"b"', '{"a":"b"} x', "{'a':'b'}", '{"a":"b",}', '{"a":"b"} // c', "", "   ", '{"a":1e400,"k":"v"}',
      '{"k":"v","x":"\\ud800"}', '{"k":"v","x":"\\udc00x"}', '{"\\ud83d":"v","k":"v"}', "[".repeat(129) + "]".repeat(129)]) {
      expect(json(["k"], bad), bad.slice(0, 40)).toBe("fails");
    }
    const deep = '{"k":"v","d":' + "[".repeat(127) + "]".repeat(127) + "}";
    expect(json(["k"], deep)).toEqual(["v"]);
    expect(json(["k"], '{"k":"v","n":-1e-400,"m":123456789012345678901234567890}')).toEqual(["v"]);
  });
});

describe("nested pipelines", () => {
  it("check operations see copies and keep the stack", () => {
    expect(one({ any: [{ pop: null }] }, ["a"])).toBe("fails");
    expect(one({ all: [] }, ["a"])).toEqual(["a"]);
    expect(one({ all: [{ push: "x" }, { length: { max: 1 } }] }, ["a"])).toEqual(["a"]);
    expect(one({ none: [] }, ["a"])).toEqual(["a"]);
    expect(one({ none: ["ok"] }, ["a"])).toBe("fails");
    expect(one({ one_of: [] }, ["a"])).toBe("fails");
    expect(one({ one_of: ["fail", "ok", "fail"] }, ["a"])).toEqual(["a"]);
    expect(one({ assert: [] }, ["a"])).toEqual(["a"]);
    expect(one({ assert: [{ pop: null }, { push: "x" }] }, ["a"])).toBe("fails");
    expect(one({ refute: [{ pop: null }, { push: "x" }] }, ["a"])).toEqual(["a"]);
  });
  it("control operations keep effects", () => {
    expect(one({ test: { if: "ok", then: [] } }, ["a"])).toEqual(["a"]);
    expect(one({ test: { if: "fail", then: [], else: [] } }, ["a"])).toEqual(["a"]);
    expect(one({ test: { if: { pop: null }, then: ["fail"], else: [{ push: "e" }] } }, ["a"])).toEqual(["a", "e"]);
    expect(one({ and: [] }, ["a"])).toEqual(["a"]);
    expect(one({ or: ["fail", "fail"] }, ["a"])).toBe("fails");
    expect(one({ xor: [] }, ["a"])).toBe("fails");
    expect(one({ xor: ["fail", { push: "x" }, "fail"] }, ["a"])).toEqual(["a", "x"]);
    expect(one({ cloned: { ops: [] } }, ["a", "b"])).toEqual(["a", "b", "a", "b"]);
    expect(one({ cloned: { ops: ["fail"] } }, ["a"])).toBe("fails");
    expect(one({ cloned: { result: "prepend", ops: [{ pop: null }] } }, ["a", "b"])).toEqual(["a", "a", "b"]);
    expect(one({ partial: { ops: [] } }, ["a", "b"])).toEqual(["a", "b"]);
    expect(one({ partial: { max: 1, result: "prepend", ops: [{ push: "x" }] } }, ["a", "b"])).toEqual(["b", "x", "a"]);
    expect(one({ partial: { max: 4294967295, ops: [{ push: "x" }] } }, ["a"])).toEqual(["a", "x"]);
    expect(one({ top: [] }, ["a"])).toEqual(["a"]);
    expect(one({ top: [{ push: "x" }, "reverse"] }, ["a", "b"])).toEqual(["a", "x", "b"]);
    expect(one({ flat_map: [] }, ["a", "b"])).toEqual(["a", "b"]);
    expect(one({ flat_map: [{ pop: null }] }, ["a", "b"])).toBe("fails");
    expect(one({ select: [] }, ["a", "b"])).toEqual(["a", "b"]);
    expect(one({ select: [{ pop: null }] }, ["a", "b"])).toBe("fails");
    expect(one({ select: [{ glob: ["b*"] }] }, ["a", "b1", "c", "b2"])).toEqual(["b1", "b2"]);
  });
  it("stack operations at their limits", () => {
    expect(one({ take: { head: 0, tail: 0 } }, ["a"])).toBe("fails");
    expect(one({ take: { head: 4294967295 } }, ["a", "b"])).toEqual(["a", "b"]);
    expect(one({ take: { tail: 4294967295 } }, ["a", "b"])).toEqual(["a", "b"]);
    expect(one({ drop: {} }, ["a", "b"])).toEqual(["a", "b"]);
    expect(one({ drop: { head: 4294967295 } }, ["a"])).toBe("fails");
    expect(one({ drop: { tail: 1 } }, ["a", "b", "c"])).toEqual(["a", "b"]);
    expect(one({ pop: 0 }, ["a"])).toEqual(["a"]);
    expect(one({ length: { min: 0, max: 0 } }, ["a"])).toBe("fails");
    expect(one({ length: {} }, ["a"])).toEqual(["a"]);
    expect(one({ join: "" }, ["a", "b"])).toEqual(["ab"]);
    expect(one({ join: "-" }, ["a"])).toEqual(["a"]);
    expect(one({ xchg: "" }, ["a"])).toEqual([""]);
    expect(one({ swap: { from: 1, to: 0 } }, ["a", "b"])).toEqual(["b", "a"]);
    expect(one({ dup: 1 }, ["a", "b"])).toEqual(["a", "b", "b"]);
  });
});
