// Unit entry for test/ops/vectors.test.ts (see harness.ts).
export * from "./harness";
