// Unit entry for test/ops/spec.test.ts (see harness.ts).
export * from "./harness";
