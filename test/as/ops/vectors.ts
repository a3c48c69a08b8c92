// Unit entry for test/ops/vectors.test.ts (see surface.ts).
export * from "./surface";
