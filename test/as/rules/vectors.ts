// Unit entry for test/rules/vectors.test.ts (see surface.ts).
export * from "./surface";
