// Unit entry for test/ops/spec.test.ts (see surface.ts).
export * from "./surface";
