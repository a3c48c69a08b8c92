import { describe, expect, it } from "vitest";
import { loadAsUnit } from "./as-unit";
describe("as-unit harness", () => {
  it("calls an AssemblyScript function with strings and arrays", async () => {
    const m = await loadAsUnit("test/as/smoke/smoke.ts");
    expect(m.greet("x")).toBe("hi x");
    expect(m.sum([1, 2, 3])).toBe(6);
  });
});
