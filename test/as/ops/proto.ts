// Unit entry for test/ops/proto.test.ts (see surface.ts).
export * from "./surface";
