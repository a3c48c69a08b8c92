// Unit entry for test/ops/glob.test.ts (see harness.ts).
export * from "./harness";
