// `values` and `log` (docs/operations.md §4.3, §4.5, §7): tags kept, credentials masked at info+.
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps } from "./support";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("logging"); });

const logsOf = (ops: unknown, input: string[], threshold = 0): string[] => {
  m.captureLogs(threshold);
  runOps(m, ops, input);
  return JSON.parse(m.takeLogs());
};

describe("logging operations", () => {
  it("values masks credentials at info and above", () => {
    const lines = logsOf([{ values: { id: "dbg" } }], ["user-secret-key-123", "pw"]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^2 \[3scale-auth\/stack\] values at dbg: /);
    expect(lines[0]).not.toContain("user-secret-key-123");
    for (const level of ["warn", "error", "critical"]) {
      expect(logsOf([{ values: { level } }], ["user-secret-key-123"])[0]).not.toContain("secret");
    }
  });

  it("values shows the stack unmasked at debug and trace", () => {
    expect(logsOf([{ values: { level: "debug" } }], ["a", 'q"b'])).toEqual(['1 [3scale-auth/stack] values at (): "a", "q\\"b"']);
    expect(logsOf([{ values: ["trace", "x"] }], ["v"])).toEqual(['0 [3scale-auth/stack] values at x: "v"']);
  });

  it("values inside nested operations shows the sub-pipeline's stack", () => {
    expect(logsOf([{ top: [{ values: { level: "debug" } }] }], ["a", "b"])).toEqual(['1 [3scale-auth/stack] values at (): "b"']);
  });

  it("log writes its message with the config tag at its level", () => {
    expect(logsOf([{ log: { msg: "hello" } }, { log: { msg: "deep", level: "critical" } }], ["a"]))
      .toEqual(["2 [3scale-auth/config] hello", "5 [3scale-auth/config] deep"]);
  });

  it("respects the host's log level and never fails the operation", () => {
    expect(logsOf([{ values: { level: "debug" } }, { log: { msg: "x", level: "info" } }], ["a"], 3)).toEqual([]);
    expect(runOps(m, [{ values: {} }, { log: { msg: "m" } }], ["a"]).stack).toEqual(["a"]);
  });
});
