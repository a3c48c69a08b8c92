// Unit entry for test/ops/fuzz.test.ts (see surface.ts).
export * from "./surface";
