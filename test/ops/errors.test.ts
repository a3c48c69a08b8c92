// Configuration errors name the full path and the problem, at any depth (docs/operations.md §2.2).
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps } from "./support";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("errors"); });

const BASE = "services[0].credentials.app_id[0].header.ops";
const error = (ops: unknown) => runOps(m, ops, ["a"], BASE).config_error;

describe("configuration errors", () => {
  it.each([
    [["ok", "ok", "ok", { split: { max: -1 } }], `${BASE}[3].split.max: expected a non-negative integer not above 4294967295, found number -1`],
    [[{ and: [{ or: [{ test: { if: "ok", then: [{ split: { max: "2" } }] } }] }] }],
      `${BASE}[0].and[0].or[0].test.then[0].split.max: expected a non-negative integer not above 4294967295, found string`],
    [[{ split: [":", -1] }], `${BASE}[0].split[1]: expected a non-negative integer not above 4294967295, found number -1`],
    [[{ take: { head: 1, tail: 1.5 } }], `${BASE}[0].take.tail: expected a non-negative integer not above 4294967295, found number 1.5`],
    [[{ swap: { from: 2147483648, to: 0 } }], `${BASE}[0].swap.from: expected an integer between -2147483648 and 2147483647, found number 2147483648`],
    [[{ indexes: [0, "1"] }], `${BASE}[0].indexes[1]: expected an integer between -2147483648 and 2147483647, found string`],
    [[{ cloned: { ops: [{ partial: { ops: [{ glob: ["ok", 3] }] } }] } }], `${BASE}[0].cloned.ops[0].partial.ops[0].glob[1]: expected a string, found number 3 (${BASE}[0].cloned.ops[0].partial.ops[0].glob must be a list of strings)`],
    [[{ json: { keys: "azp" } }], `${BASE}[0].json.keys: expected a list of strings, found string`],
    [[{ values: { level: "warning" } }], `${BASE}[0].values.level: unknown variant \`warning\`, expected one of trace, debug, info, warn, error, critical`],
    [[{ cloned: { result: "replace", ops: [] } }], `${BASE}[0].cloned.result: unknown variant \`replace\`, expected one of append, prepend`],
    [{ split: {} }, `${BASE}: expected a list, found object`],
    [[{ push: 5 }], `${BASE}[0].push: expected a string, found number 5`],
    [[{ join: { separator: "," } }], `${BASE}[0].join: expected a string, found object`],
    [[{ glob: "Basic" }], `${BASE}[0].glob: expected a list of strings, found string`],
  ])("%j", (ops, message) => {
    expect(error(ops)).toBe(message);
  });

  it.each([
    [["split"], `${BASE}[0]: \`split\` needs a parameter: write {"split": {}}`],
    [["pop"], `${BASE}[0]: \`pop\` needs a parameter: write {"pop": null}`],
    [["push"], `${BASE}[0]: \`push\` needs a parameter: write {"push": ...}`],
    [[{ split: null }], `${BASE}[0].split: expected the parameters of \`split\` as an object {separator, max} or a positional list [separator, max], found null`],
    [[{ reverse: {} }], `${BASE}[0].reverse: \`reverse\` takes no parameter: write "reverse" or {"reverse": null}, found object`],
    [[{ push: "a", pop: null }], `${BASE}[0]: an operation object must have exactly one key, the operation name; found 2 (push, pop)`],
    [[{}], `${BASE}[0]: an operation object must have exactly one key, the operation name; found none`],
    [[42], `${BASE}[0]: expected an operation, i.e. a name such as "reverse" or an object such as {"split": {}}, found number 42`],
    [[{ flat_map: ["ok", "Strrev"] }], `${BASE}[0].flat_map[1]: unknown operation \`Strrev\` (did you mean \`strrev\`? operation names are case-sensitive)`],
    [[{ select: [{ lowercase: null }] }], `${BASE}[0].select[0]: unknown operation \`lowercase\``],
    [[{ stack: { push: "a" } }], /^services\[0\]\.credentials\.app_id\[0\]\.header\.ops\[0\]: unknown operation `stack`: categories are not part of the syntax/],
    [[{ test: { if: ["ok"], then: [] } }], `${BASE}[0].test.if: expected a single operation, found a list (to chain several, wrap them: {"and": [...]})`],
    [[{ test: { then: [] } }], `${BASE}[0].test: missing field \`if\``],
    [[{ split: [":"] }], `${BASE}[0].split: the list form of \`split\` is positional, [separator, max], and needs 2 values, found 1 (optional fields must be written as null; or use the object form)`],
    [[{ strlen: [1, 2, "utf8", null] }], /strlen: the list form of `strlen` is positional, \[min, max, mode\], and needs 2 to 3 values, found 4/],
    [[{ strlen: { mode: "bytes" } }], `${BASE}[0].strlen.mode: unknown variant \`bytes\`, expected one of utf8, Bytes (did you mean \`Bytes\`? spellings are case-sensitive)`],
    [[{ json: [{ keys: ["azp", "aud"] }] }], `${BASE}[0].json: the list form of \`json\` is positional, [path, keys], so it cannot hold an object; write the parameters as an object instead: {"json": {"keys": [...]}}`],
    [[{ glob: ["a", "ab\\d"] }], /^services\[0\]\.credentials\.app_id\[0\]\.header\.ops\[0\]\.glob\[1\]: invalid glob pattern `ab\\d`: `\\d` is not supported/],
    [[{ glob: ["ab\\"] }], /ops\[0\]\.glob\[0\]: invalid glob pattern `ab\\`: it ends with a lone backslash/],
  ])("%j", (ops, message) => {
    if (typeof message === "string") expect(error(ops)).toBe(message);
    else expect(error(ops)).toMatch(message);
  });

  it("reports the first problem in document order", () => {
    expect(error([{ split: { max: -1 } }, "nope"])).toMatch(/ops\[0\]\.split\.max/);
    expect(error(["ok", { any: ["nope", { split: { max: -1 } }] }])).toMatch(/ops\[1\]\.any\[0\]: unknown operation `nope`/);
  });

  it("finds a malformed operation at any depth", () => {
    let ops: unknown = [{ push: 1 }];
    let path = "[0].push";
    for (let i = 0; i < 40; i++) {
      ops = [{ and: ops }];
      path = `[0].and${path}`;
    }
    expect(error(ops)).toBe(`${BASE}${path}: expected a string, found number 1`);
  });

  it("parses and runs operations nested as deep as the JSON depth limit allows", () => {
    let ops: unknown = [{ push: "x" }];
    for (let i = 0; i < 62; i++) ops = [{ and: ops }]; // 127 JSON levels
    expect(runOps(m, ops, ["a"]).stack).toEqual(["a", "x"]);
    let tests: unknown = [{ push: "x" }];
    for (let i = 0; i < 41; i++) tests = [{ test: { if: { cloned: { ops: [] } }, then: tests } }]; // 125 levels
    expect(runOps(m, tests, ["a"]).stack).toEqual(["a", "x"]);
    let broken: unknown = [{ split: { max: -1 } }];
    for (let i = 0; i < 41; i++) broken = [{ test: { if: "ok", then: broken } }];
    expect(error(broken)).toMatch(/\.test\.then\[0\]\.split\.max: expected a non-negative integer/);
  });
});
