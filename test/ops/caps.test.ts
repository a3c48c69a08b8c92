// Robustness caps (docs/operations.md §5): at most 1024 values per stack and 65536 produced units
// per pipeline run; exceeding them fails the pipeline — never the VM — and no check can turn
// that failure into a success.
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps, verdict } from "./support";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("caps"); });

const run = (ops: unknown, input: string[]) => verdict(runOps(m, ops, input));
const cloned = { cloned: { ops: [] } };

describe("value cap (1024)", () => {
  it("allows 1024 values and refuses 1025", () => {
    expect((run([{ split: {} }], ["x:".repeat(1023) + "x"]) as string[]).length).toBe(1024);
    expect(run([{ split: {} }], ["x:".repeat(1024) + "x"])).toBe("fails");
    expect((run(Array(10).fill(cloned), ["a"]) as string[]).length).toBe(1024);
    expect(run(Array(11).fill(cloned), ["a"])).toBe("fails");
    expect(run([{ split: { separator: "" } }], ["x".repeat(5000)])).toBe("fails");
  });

  it("applies to indexes, flat_map results and dup", () => {
    expect(run([{ indexes: Array(1025).fill(0) }], ["a"])).toBe("fails");
    expect(run([...Array(9).fill(cloned), { flat_map: [cloned] }], ["a"])).toEqual(Array(1024).fill("a"));
    expect(run([...Array(10).fill(cloned), { flat_map: [cloned] }], ["a"])).toBe("fails");
    expect(run([...Array(10).fill(cloned), { dup: 0 }], ["a"])).toBe("fails");
  });
});

describe("produced cap (65536 units)", () => {
  it("bounds growth by replace and join before building the result", () => {
    expect(run([{ replace: { pattern: "a", with: "aa" } }], ["a".repeat(30000)])).toEqual(["a".repeat(60000)]);
    expect(run([{ replace: { pattern: "a", with: "aa" } }], ["a".repeat(40000)])).toBe("fails");
    expect(run([{ replace: { pattern: "", with: "x".repeat(10000) } }], ["a".repeat(1000)])).toBe("fails");
    expect(run([...Array(10).fill(cloned), { join: "x".repeat(1000) }], ["a"])).toBe("fails");
  });

  it("is shared by every operation of the run", () => {
    const value = "a".repeat(30000);
    expect(run(["strrev", "strrev"], [value])).toEqual([value]);
    expect(run(["strrev", "strrev", "strrev"], [value])).toBe("fails");
    expect(run([{ flat_map: ["strrev"] }, { flat_map: ["strrev"] }, { flat_map: ["strrev"] }], [value])).toBe("fails");
  });

  it("stops exponential nesting", () => {
    const explode = { flat_map: [cloned, cloned, cloned, cloned, cloned, { flat_map: [cloned, cloned, cloned, { flat_map: [cloned, cloned] }] }] };
    expect(run([explode, explode, explode], ["abc"])).toBe("fails");
    let nested: unknown = [cloned, cloned, cloned];
    for (let i = 0; i < 20; i++) nested = [{ flat_map: nested }, cloned];
    expect(run(nested as unknown[], ["a"])).toBe("fails");
  });

  it("cannot be turned into a success by a check or a fallback", () => {
    const blowUp = { split: { separator: "" } };
    const big = ["x".repeat(5000)];
    expect(run([{ refute: [blowUp] }], big)).toBe("fails");
    expect(run([{ none: [blowUp] }], big)).toBe("fails");
    expect(run([{ or: [blowUp, "ok"] }], big)).toBe("fails");
    expect(run([{ xor: [blowUp, "ok"] }], big)).toBe("fails");
    expect(run([{ any: [blowUp, "ok"] }], big)).toBe("fails");
    expect(run([{ test: { if: blowUp, then: [], else: [] } }], big)).toBe("fails");
    expect(run([{ select: [blowUp] }], ["ok", ...big])).toBe("fails");
    expect(run([{ assert: [{ refute: [blowUp] }] }], big)).toBe("fails");
  });
});

describe("legitimate sizes are unaffected", () => {
  it("decodes an 8 KiB Basic header and a 4 KiB JWT payload", () => {
    const key = "k".repeat(6000);
    const header = `Basic ${Buffer.from(`app:${key}`).toString("base64")}`;
    const basic = [{ split: { separator: " ", max: 2 } }, { length: { min: 2 } }, { drop: { head: 1 } }, "base64_urlsafe", { split: { max: 2 } }];
    expect(run(basic, [header])).toEqual(["app", key]);
    const payload = Buffer.from(JSON.stringify({ azp: "client", pad: "p".repeat(4000) })).toString("base64url");
    const padded = payload + "=".repeat((4 - (payload.length % 4)) % 4);
    expect(run(["base64_urlsafe", { json: { keys: ["azp"] } }], [padded])).toEqual(["client"]);
  });

  it("runs a pipeline many times without exhausting memory", () => {
    const ops = JSON.stringify([{ split: { separator: "" } }, { join: "-" }, "strrev", { replace: { pattern: "-", with: "" } }]);
    expect(m.repeat(ops, JSON.stringify(["y".repeat(1000)]), 300)).toBe(JSON.stringify({ stack: ["y".repeat(1000)], warnings: [] }));
  });
});
