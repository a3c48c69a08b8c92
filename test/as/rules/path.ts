// Unit entry for test/rules/path-pattern.test.ts (see surface.ts).
export * from "./surface";
