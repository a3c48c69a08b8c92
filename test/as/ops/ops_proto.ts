// Unit entry for test/ops/proto.test.ts (see harness.ts).
export * from "./harness";
