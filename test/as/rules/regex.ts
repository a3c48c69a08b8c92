// Unit entry for test/rules/regex.test.ts (see surface.ts).
export * from "./surface";
