// Unit entry for test/ops/semantics.test.ts (see harness.ts).
export * from "./harness";
