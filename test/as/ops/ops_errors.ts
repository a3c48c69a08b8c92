// Unit entry for test/ops/errors.test.ts (see harness.ts).
export * from "./harness";
