// Unit entry for test/ops/caps.test.ts (see harness.ts).
export * from "./harness";
