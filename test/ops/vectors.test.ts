// Every vector of operations.json (copied from the spec, format in docs/operations.md §9).
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps, verdict } from "./support";

interface Vector { name: string; ops: unknown; input: string[]; expect?: string[]; expect_fail?: boolean; config_error?: boolean }
const vectors: Vector[] = JSON.parse(readFileSync(new URL("./vectors/operations.json", import.meta.url), "utf8"));

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("vectors"); });

describe("operations.json vectors", () => {
  it("has vectors", () => expect(vectors.length).toBeGreaterThan(100));

  it.each(vectors.map((v) => [v.name, v] as const))("%s", (_name, v) => {
    const outcome = runOps(m, v.ops, v.input);
    if (v.config_error) {
      // rejected when the configuration is parsed, not merely when run
      expect(outcome.config_error, "must be a configuration error").toBeTypeOf("string");
    } else if (v.expect_fail) {
      expect(verdict(outcome)).toBe("fails");
    } else {
      expect(verdict(outcome)).toEqual(v.expect);
    }
  });
});
