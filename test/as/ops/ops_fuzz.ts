// Unit entry for test/ops/fuzz.test.ts (see harness.ts).
export * from "./harness";
