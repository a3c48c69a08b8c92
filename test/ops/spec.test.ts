// docs/operations.md, table by table: every row of §4 (extracted verbatim into
// vectors/spec_tables.json), the index table of §3, the shapes of §2 and the step-by-step
// pipelines of §6.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps, verdict } from "./support";

interface Row { section: string; ops: unknown; input: string[]; expect?: string[]; expect_fail?: boolean }
const rows: Row[] = JSON.parse(readFileSync(new URL("./vectors/spec_tables.json", import.meta.url), "utf8"));

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("spec"); });

const run = (ops: unknown, input: string[]) => verdict(runOps(m, ops, input));

describe("§4 operation reference tables", () => {
  it("has every row", () => expect(rows.length).toBe(119));
  it.each(rows.map((r, i) => [`${i + 1} ${r.section}: ${JSON.stringify(r.ops)} on ${JSON.stringify(r.input)}`, r] as const))("%s", (_n, r) => {
    expect(run(r.ops, r.input)).toEqual(r.expect_fail ? "fails" : r.expect);
  });
});

describe("§1 execution model", () => {
  it("no operations leave the stack as is, even an empty one", () => {
    expect(run([], ["a", "b"])).toEqual(["a", "b"]);
    expect(run([], [])).toEqual([]);
  });
  it("an empty initial stack fails every operation", () => {
    for (const op of ["ok", "reverse", { join: "" }, { push: "x" }, { indexes: [] }, { select: [] }, { assert: [] }, { length: {} }, { cloned: { ops: [] } }, { values: {} }]) {
      expect(run([op], []), JSON.stringify(op)).toBe("fails");
    }
  });
  it("the stack is checked after every operation", () => {
    expect(run([{ pop: null }, { push: "x" }], ["a"])).toBe("fails");
    expect(run([{ and: [{ pop: null }, { push: "x" }] }], ["a"])).toBe("fails");
  });
});

describe("§3 index arithmetic", () => {
  const table: Array<[number, number, number | null]> = [
    [1, -1, 0], [1, -2, 0], [1, -3, 0], [1, -4, 0],
    [2, -1, null], [2, -2, 0], [2, -3, null], [2, -4, 0],
    [3, -1, null], [3, -2, null], [3, -3, 0], [3, -4, null],
  ];
  const stackOf = (len: number) => ["v0", "v1", "v2"].slice(0, len);
  it.each(table)("len %i, index %i → %s", (len, index, at) => {
    const stack = stackOf(len);
    expect(run([{ dup: index }], stack)).toEqual(at === null ? "fails" : [...stack, stack[at]]);
    expect(run([{ indexes: [index] }], stack)).toEqual(at === null ? "fails" : [stack[at]]);
    if (len > 1) expect(run([{ swap: { from: index, to: 1 } }], stack)).toEqual(at === null ? "fails" : ["v1", "v0", ...stack.slice(2)]);
  });
  it("handles the extreme indexes", () => {
    expect(run([{ dup: -2147483648 }], ["a", "b"])).toEqual(["a", "b", "a"]);
    expect(run([{ dup: 2147483647 }], ["a"])).toBe("fails");
    expect(run([{ swap: { from: -2147483648, to: -2147483648 } }], ["a"])).toEqual(["a"]);
  });
  it("warns at configure time about negative indexes", () => {
    const o = runOps(m, [{ dup: -1 }, { swap: [0, -2] }, { indexes: [1, -3] }, { dup: null }], ["a"]);
    expect(o.warnings).toHaveLength(3);
    expect(o.warnings[0]).toMatch(/^ops\[0\]\.dup: negative index -1/);
    expect(o.warnings[1]).toMatch(/^ops\[1\]\.swap\[1\]: negative index -2/);
    expect(o.warnings[2]).toMatch(/^ops\[2\]\.indexes\[1\]: negative index -3/);
  });
});

describe("§2 shapes", () => {
  const noParam = ["base64_standard", "base64_urlsafe", "strrev", "reverse", "ok", "fail"];
  it.each(noParam)("%s: bare or null, nothing else", (name) => {
    expect(runOps(m, [name], ["a"]).config_error).toBeUndefined();
    expect(runOps(m, [{ [name]: null }], ["a"]).config_error).toBeUndefined();
    for (const bad of [{}, [], "x", 0, false]) expect(runOps(m, [{ [name]: bad }], ["a"]).config_error, JSON.stringify(bad)).toBeDefined();
  });

  const single: Array<[string, unknown, unknown]> = [
    ["join", ",", { separator: "," }], ["contains", "a", 1], ["push", "a", null], ["xchg", "a", ["a"]],
    ["prefix", "a", ["a"]], ["suffix", "a", true], ["substr", "a", {}], ["glob", ["a"], "Basic"],
    ["indexes", [0], 0], ["flat_map", [], "ok"], ["select", [], {}], ["any", ["ok"], "ok"], ["one_of", ["ok"], null],
    ["all", [], "ok"], ["none", [], null], ["assert", [], "ok"], ["refute", ["fail"], {}], ["and", [], "ok"],
    ["or", ["ok"], "ok"], ["xor", ["ok"], {}], ["top", [], "ok"],
  ];
  it.each(single)("%s takes a single value (%j), not %j, null or a bare name", (name, good, bad) => {
    expect(runOps(m, [{ [name]: good }], ["a"]).config_error).toBeUndefined();
    expect(runOps(m, [{ [name]: bad }], ["a"]).config_error).toBeDefined();
    expect(runOps(m, [{ [name]: null }], ["a"]).config_error).toBeDefined();
    expect(runOps(m, [name], ["a"]).config_error).toBeDefined();
  });

  it("pop and dup take null (default) or a number, not a bare name", () => {
    expect(run([{ pop: null }], ["a", "b"])).toEqual(["a"]);
    expect(run([{ dup: null }], ["a"])).toEqual(["a", "a"]);
    for (const bad of ["pop", "dup", { pop: -1 }, { pop: "1" }, { dup: "0" }, { dup: 2147483648 }, { pop: 4294967296 }]) {
      expect(runOps(m, [bad], ["a"]).config_error, JSON.stringify(bad)).toBeDefined();
    }
    for (const raw of ['{"pop":1.0}', '{"pop":1e0}', '{"dup":0.0}', '{"dup":-1e0}']) {
      expect(m.run(`[${raw}]`, '["a","b"]', "ops"), raw).toContain("config_error");
    }
    expect(run([{ pop: 4294967295 }], ["a"])).toBe("fails");
  });

  const objectOps = ["strlen", "split", "rsplit", "length", "take", "drop", "values"];
  it.each(objectOps)("%s takes an object, possibly empty; not bare, not null", (name) => {
    expect(runOps(m, [{ [name]: {} }], ["a"]).config_error).toBeUndefined();
    expect(runOps(m, [name], ["a"]).config_error).toBeDefined();
    expect(runOps(m, [{ [name]: null }], ["a"]).config_error).toBeDefined();
    expect(runOps(m, [{ [name]: "x" }], ["a"]).config_error).toBeDefined();
  });

  it("rejects objects with zero or two keys and other JSON types", () => {
    for (const bad of [{}, { push: "a", pop: null }, 1, null, true, ["ok"]]) {
      expect(runOps(m, [bad], ["a"]).config_error, JSON.stringify(bad)).toBeDefined();
    }
  });

  it("knows exactly the 44 names, case-sensitively, without aliases or categories", () => {
    const names = ["base64_standard", "base64_urlsafe", "strlen", "strrev", "split", "rsplit", "replace", "prefix", "suffix",
      "substr", "glob", "length", "join", "reverse", "contains", "push", "pop", "dup", "xchg", "take", "drop", "swap",
      "indexes", "flat_map", "select", "values", "ok", "fail", "any", "one_of", "all", "none", "assert", "refute", "test",
      "and", "or", "xor", "cloned", "partial", "top", "log", "json", "protobuf"];
    expect(new Set(names).size).toBe(44);
    for (const name of names) expect(runOps(m, [name], ["a"]).config_error ?? "", name).not.toMatch(/unknown operation/);
    for (const bad of ["Reverse", "len", "base64", "strlength", "lowercase", "OK", "flatmap", "oneof", "decode", "format"]) {
      expect(runOps(m, [bad], ["a"]).config_error, bad).toMatch(/unknown operation/);
    }
    expect(runOps(m, [{ decode: "base64_urlsafe" }], ["YQ=="]).config_error).toMatch(/categories are not part of the syntax/);
    expect(runOps(m, [{ format: { json: { keys: ["a"] } } }], ["{}"]).config_error).toMatch(/categories/);
  });

  it("ignores unknown parameter fields (with a warning) and rejects duplicates", () => {
    const o = runOps(m, [{ split: { max: 2, indexes: [0] } }], ["a:b:c"]);
    expect(o.stack).toEqual(["a", "b:c"]);
    expect(o.warnings[0]).toMatch(/^ops\[0\]\.split\.indexes: unknown field `indexes` ignored/);
    expect(m.run('[{"split":{"max":2,"max":3}}]', '["a"]', "ops")).toContain("ops[0].split.max: duplicate field `max`");
    expect(m.run('[{"push":"a","push":"b"}]', '["a"]', "ops")).toContain("duplicate field `push`");
  });

  it("distinguishes optional (nullable) from defaulted fields", () => {
    expect(run([{ strlen: { min: null, max: null } }], ["a"])).toEqual(["a"]);
    expect(runOps(m, [{ strlen: { mode: null } }], ["a"]).config_error).toMatch(/ops\[0\]\.strlen\.mode: null is not allowed/);
    expect(runOps(m, [{ split: { separator: null } }], ["a"]).config_error).toBeDefined();
    expect(runOps(m, [{ values: { level: null } }], ["a"]).config_error).toBeDefined();
    expect(runOps(m, [{ json: { path: null, keys: ["a"] } }], ["{}"]).config_error).toBeDefined();
    expect(runOps(m, [{ test: { if: "ok", then: [], else: null } }], ["a"]).config_error).toBeDefined();
    expect(runOps(m, [{ cloned: { result: null, ops: [] } }], ["a"]).config_error).toBeDefined();
    expect(run([{ partial: { max: null, ops: [] } }], ["a"])).toEqual(["a"]);
    expect(run([{ values: { id: null } }], ["a"])).toEqual(["a"]);
    expect(run([{ replace: { pattern: "a", with: "b", max: null } }], ["aa"])).toEqual(["bb"]);
    expect(runOps(m, [{ replace: { pattern: "a" } }], ["a"]).config_error).toMatch(/missing field `with`/);
    expect(runOps(m, [{ replace: { pattern: "a", with: null } }], ["a"]).config_error).toMatch(/ops\[0\]\.replace\.with: expected a string, found null/);
    expect(runOps(m, [{ swap: { from: 0 } }], ["a"]).config_error).toMatch(/missing field `to`/);
    expect(runOps(m, [{ log: { level: "info" } }], ["a"]).config_error).toMatch(/missing field `msg`/);
    expect(runOps(m, [{ json: { path: [] } }], ["{}"]).config_error).toMatch(/missing field `keys`/);
  });

  it("accepts exactly the documented spellings of levels, modes and placements", () => {
    for (const level of ["trace", "debug", "info", "warn", "error", "critical"]) {
      expect(runOps(m, [{ values: { level } }, { log: { level, msg: "m" } }], ["a"]).config_error, level).toBeUndefined();
    }
    for (const level of ["warning", "verbose", "INFO", "Info", ""]) {
      expect(runOps(m, [{ values: { level } }], ["a"]).config_error, level).toBeDefined();
    }
    expect(run([{ strlen: { mode: "utf8", max: 1 } }], ["é"])).toBe("fails");
    expect(run([{ strlen: { mode: "Bytes", min: 4 } }], ["😀"])).toEqual(["😀"]);
    expect(runOps(m, [{ strlen: { mode: "bytes" } }], ["a"]).config_error).toMatch(/ops\[0\]\.strlen\.mode: .*did you mean `Bytes`/);
    expect(runOps(m, [{ strlen: { mode: "UTF8" } }], ["a"]).config_error).toMatch(/did you mean `utf8`/);
    expect(runOps(m, [{ cloned: { result: "Append", ops: [] } }], ["a"]).config_error).toMatch(/did you mean `append`/);
    expect(runOps(m, [{ cloned: { result: "replace", ops: [] } }], ["a"]).config_error).toBeDefined();
  });
});

describe("§2.3 positional form", () => {
  const same: Array<[unknown, unknown, string[]]> = [
    [{ split: [" ", 2] }, { split: { separator: " ", max: 2 } }, ["a b c"]],
    [{ strlen: [null, 63] }, { strlen: { max: 63 } }, ["abc"]],
    [{ strlen: [1, null, "Bytes"] }, { strlen: { min: 1, mode: "Bytes" } }, [""]],
    [{ rsplit: [".", null] }, { rsplit: { separator: "." } }, ["a.b.c"]],
    [{ replace: ["-", "_", 1] }, { replace: { pattern: "-", with: "_", max: 1 } }, ["a-b-c"]],
    [{ length: [2, null] }, { length: { min: 2 } }, ["a"]],
    [{ take: [1, 1] }, { take: { head: 1, tail: 1 } }, ["a", "b", "c"]],
    [{ drop: [null, 1] }, { drop: { tail: 1 } }, ["a", "b", "c"]],
    [{ swap: [0, 2] }, { swap: { from: 0, to: 2 } }, ["a", "b", "c"]],
    [{ values: ["debug", null] }, { values: { level: "debug" } }, ["a"]],
    [{ test: [{ length: [2, null] }, [{ pop: null }]] }, { test: { if: { length: { min: 2 } }, then: [{ pop: null }] } }, ["a", "b"]],
    [{ test: ["fail", [], [{ push: "e" }]] }, { test: { if: "fail", then: [], else: [{ push: "e" }] } }, ["a"]],
    [{ cloned: ["prepend", [{ split: {} }]] }, { cloned: { result: "prepend", ops: [{ split: {} }] } }, ["a:b"]],
    [{ partial: ["append", [{ split: {} }], null] }, { partial: { ops: [{ split: {} }] } }, ["k", "a:b"]],
    [{ log: ["info", "hello"] }, { log: { msg: "hello" } }, ["a"]],
    [{ json: [[], ["a"]] }, { json: { keys: ["a"] } }, ['{"a":"b"}']],
    [{ protobuf: [[""], ["azp"]] }, { protobuf: { keys: ["azp"] } }, ["\n\r\n\u0003azp\u0012\u0006\u001a\u0004app1"]],
  ];
  it.each(same)("%j equals %j", (positional, object, input) => {
    const a = runOps(m, [positional], input);
    expect(a.config_error).toBeUndefined();
    expect(verdict(a)).toEqual(run([object], input));
  });

  const rejected: unknown[] = [
    { split: [":"] }, { take: [1] }, { split: [":", 2, 3] }, { strlen: [1] }, { strlen: [1, 2, "utf8", 4] },
    { replace: ["a", "b"] }, { cloned: [[]] }, { partial: ["append", []] }, { values: ["info"] }, { log: ["hello"] },
    { test: ["ok"] }, { json: [["a"]] }, { swap: [0] }, { split: [null, 2] }, { values: [null, "id"] },
    { test: [["ok"], []] }, { split: [] }, { take: [-1, 1] },
  ];
  it.each(rejected.map((r) => [JSON.stringify(r), r] as const))("rejects %s", (_s, op) => {
    expect(runOps(m, [op], ["a"]).config_error).toBeDefined();
  });

  it("rejects the documented JWT list form, suggesting the object form", () => {
    const o = runOps(m, [{ json: [{ keys: ["azp", "aud"] }] }], ["{}"]);
    expect(o.config_error).toMatch(/^ops\[0\]\.json: .*\{"json": \{"keys": \[\.\.\.\]\}\}/);
  });
});

describe("§6 documented pipelines, step by step", () => {
  /** the stack after each prefix of `ops` */
  const steps = (ops: unknown[], input: string[]) => ops.map((_, i) => run(ops.slice(0, i + 1), input));

  const basic = [{ split: { separator: " ", max: 2 } }, { length: { min: 2 } }, { drop: { head: 1 } }, "base64_urlsafe", { split: { max: 2 } }];
  it("6.1 app id and key from a Basic header", () => {
    expect(steps(basic, ["Basic YWxhZGRpbjpvcGVuc2VzYW1l"])).toEqual([
      ["Basic", "YWxhZGRpbjpvcGVuc2VzYW1l"],
      ["Basic", "YWxhZGRpbjpvcGVuc2VzYW1l"],
      ["YWxhZGRpbjpvcGVuc2VzYW1l"],
      ["aladdin:opensesame"],
      ["aladdin", "opensesame"],
    ]);
    expect(run(basic, ["Basic YWxhZGRpbg=="])).toEqual(["aladdin"]);
    expect(run(basic, ["Token YWxhZGRpbjpvcGVuc2VzYW1l"])).toEqual(["aladdin", "opensesame"]);
    expect(steps(basic, ["Basic"])).toEqual([["Basic"], "fails", "fails", "fails", "fails"]);
    expect(run(basic, [`Basic ${Buffer.from("id:se:cret").toString("base64")}`])).toEqual(["id", "se:cret"]);
  });

  const checked = [
    { split: { separator: " ", max: 2 } }, { length: { min: 2 } }, "reverse", { glob: ["Basic"] }, { drop: { tail: 1 } },
    "base64_urlsafe", { split: { max: 2 } },
    { test: { if: { length: { min: 2 } }, then: [{ strlen: { max: 63 } }, { or: [{ strlen: { min: 1 } }, { drop: { tail: 1 } }] }] } },
    { assert: [{ and: ["reverse", { or: [{ strlen: { min: 8 } }, { glob: ["aladdin", "admin"] }] }] }] },
  ];
  it("6.2 restricted to Basic, with checks", () => {
    expect(steps(checked, ["Basic YWxhZGRpbjpvcGVuc2VzYW1l"])).toEqual([
      ["Basic", "YWxhZGRpbjpvcGVuc2VzYW1l"],
      ["Basic", "YWxhZGRpbjpvcGVuc2VzYW1l"],
      ["YWxhZGRpbjpvcGVuc2VzYW1l", "Basic"],
      ["YWxhZGRpbjpvcGVuc2VzYW1l", "Basic"],
      ["YWxhZGRpbjpvcGVuc2VzYW1l"],
      ["aladdin:opensesame"],
      ["aladdin", "opensesame"],
      ["aladdin", "opensesame"],
      ["aladdin", "opensesame"],
    ]);
    expect(run(checked, ["Basic YWRtaW46"])).toEqual(["admin"]);
    expect(run(checked, ["Basic c29tZXVzZXIx"])).toEqual(["someuser1"]);
    expect(run(checked, ["Basic Ym9iOmtleQ=="])).toBe("fails");
    expect(steps(checked, ["Bearer YWxhZGRpbjpvcGVuc2VzYW1l"])[3]).toBe("fails");
    const longKey = Buffer.from(`aladdin:${"k".repeat(64)}`).toString("base64");
    expect(steps(checked, [`Basic ${longKey}`]).slice(6, 8)).toEqual([["aladdin", "k".repeat(64)], "fails"]);
  });

  const jwt = ["base64_urlsafe", { json: { path: [], keys: ["azp", "aud"] } }, { take: { head: 1 } }];
  it("6.3 app id from a JWT payload header", () => {
    const payload = "eyJhenAiOiJteS1jbGllbnQiLCJhdWQiOlsiYSIsImIiXX0=";
    expect(steps(jwt, [payload])).toEqual([['{"azp":"my-client","aud":["a","b"]}'], ["my-client"], ["my-client"]]);
    expect(run(jwt, [payload.slice(0, -1)])).toBe("fails");
    expect(run(jwt, ["eyJhdWQiOiJjbGllbnQtOSJ9"])).toEqual(["client-9"]);
    expect(run(jwt, [Buffer.from('{"aud":["a","b"]}').toString("base64url") + "="])).toBe("fails");
  });
});
