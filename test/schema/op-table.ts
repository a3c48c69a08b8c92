// Every operation (docs/operations.md §2) with parameters the module accepts and rejects,
// beyond the generic shapes every operation is tried with (see cases.ts).
export interface OpParams {
  /** parameters that must be accepted, as in {"name": parameter} */
  good: unknown[];
  /** parameters that must be rejected */
  bad: unknown[];
}

const none: OpParams = { good: [null], bad: [{}, [], "", 0, false] };
const text: OpParams = { good: ["", "x"], bad: [null, ["x"], { separator: "," }, 1] };
const opList: OpParams = {
  good: [[], ["ok", { split: {} }], [{ and: [{ test: { if: "ok", then: [{ pop: null }] } }] }]],
  bad: [null, "ok", ["split"], [{}], [["ok"]], [{ and: [{ Reverse: null }] }], [{ or: [{ take: { head: -1 } }] }]],
};
const split: OpParams = {
  good: [{}, { separator: " ", max: 2 }, { max: 0 }, [" ", 2], [":", null], { max: 1, indexes: [0] }],
  bad: [null, { separator: null }, { separator: 1 }, { max: -1 }, { max: 1.5 }, [":"], [null, 2], [":", 2, 3]],
};
const headTail: OpParams = {
  good: [{}, { head: 1 }, { tail: 4294967295 }, [1, null], [null, null]],
  bad: [null, [1], { tail: -1 }, { head: 4294967296 }, { head: "1" }],
};
const format: OpParams = {
  good: [{ keys: ["a"] }, { path: ["a", "0"], keys: [] }, [[], ["a"]]],
  bad: [[{ keys: ["a"] }], { path: ["a"] }, { keys: "a" }, { path: null, keys: ["a"] }, [["a"]], { keys: [1] }],
};

export const OPS: Record<string, OpParams> = {
  base64_standard: none,
  base64_urlsafe: none,
  base64_urlsafe_optional_padding: none,
  strrev: none,
  reverse: none,
  ok: none,
  fail: none,
  join: text,
  contains: text,
  push: text,
  xchg: text,
  prefix: text,
  suffix: text,
  substr: text,
  glob: { good: [[], ["a*", "+.x", "a?b"], ["\\*\\+\\?\\\\", "a\\.b\\:c\\ d\\_\\[\\{\\~\\\u0001"]], bad: ["a", ["a\\d"], ["ab\\"], ["\\<"], ["\\>"], ["\\é"], ["\\n"], [1], null] },
  indexes: { good: [[], [0, -1, 2147483647, -2147483648]], bad: [0, [1.5], ["0"], [2147483648], [-2147483649], null] },
  flat_map: opList, select: opList, any: opList, one_of: opList, all: opList, none: opList,
  assert: opList, refute: opList, and: opList, or: opList, xor: opList, top: opList,
  pop: { good: [null, 0, 4294967295], bad: [-1, 4294967296, "1", 1.5, [], {}] },
  dup: { good: [null, 0, -2147483648, 2147483647], bad: [2147483648, -2147483649, "0", 1.5, {}] },
  strlen: {
    good: [{}, { min: 1, max: 2, mode: "Bytes" }, { mode: "utf8" }, [null, 63], [1, null, "utf8"], { min: null }],
    bad: [null, { mode: "bytes" }, { mode: null }, { min: -1 }, { max: 4294967296 }, [1], [1, 2, "utf8", 4], [1, 2, null], { min: 1.5 }],
  },
  split,
  rsplit: split,
  replace: {
    good: [{ pattern: "-", with: "_" }, { pattern: "", with: "", max: 1 }, ["-", "_", null], ["a", "b", 0]],
    bad: [{}, { pattern: "-" }, { pattern: "-", with: null }, ["-", "_"], { pattern: 1, with: "" }],
  },
  length: { good: [{}, { min: 1 }, [null, 2]], bad: [null, { min: "1" }, [1], { max: -1 }] },
  take: headTail,
  drop: headTail,
  swap: {
    good: [{ from: 0, to: -1 }, [2147483647, -2147483648]],
    bad: [{}, { from: 0 }, { from: 2147483648, to: 0 }, [0], { from: 0, to: null }, [0, 1, 2]],
  },
  values: {
    good: [{}, { level: "debug", id: "x" }, ["info", null], { id: null }, { level: "critical" }, ["trace", "i"]],
    bad: [null, { level: "warning" }, { level: null }, [null, "x"], ["INFO", null], { id: 1 }, ["info"]],
  },
  log: {
    good: [{ msg: "m" }, ["warn", "m"], { level: "error", msg: "" }],
    bad: [{}, { msg: null }, ["m"], [null, "m"], { msg: "m", level: "verbose" }],
  },
  test: {
    good: [{ if: "ok", then: [] }, { if: { push: "x" }, then: ["ok"], else: ["fail"] }, ["ok", []], ["ok", [], [{ pop: 1 }]]],
    bad: [{ if: ["ok"], then: [] }, { if: "ok" }, { then: [] }, { if: "ok", then: [], else: null }, ["ok"], { if: null, then: [] }, ["ok", [], [], []], { if: "split", then: [] }],
  },
  cloned: {
    good: [{ ops: [] }, { result: "prepend", ops: ["ok"] }, ["append", []]],
    bad: [{}, { result: "replace", ops: [] }, [null, []], { ops: null }, [[]], { result: "Append", ops: [] }],
  },
  partial: {
    good: [{ ops: [] }, { result: "prepend", ops: [], max: 0 }, ["append", [], null], ["prepend", ["ok"], 3]],
    bad: [["append", []], { ops: [], max: -1 }, { result: null, ops: [] }, {}, { ops: "ok" }],
  },
  json: format,
  protobuf: format,
};
