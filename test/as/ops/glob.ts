// Unit entry for test/ops/glob.test.ts (see surface.ts).
export * from "./surface";
