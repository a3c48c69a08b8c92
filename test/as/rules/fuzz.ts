// Unit entry for test/rules/fuzz.test.ts (see surface.ts).
export * from "./surface";
