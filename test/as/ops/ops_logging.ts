// Unit entry for test/ops/logging.test.ts (see harness.ts).
export * from "./harness";
