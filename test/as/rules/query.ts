// Unit entry for test/rules/query-pattern.test.ts (see surface.ts).
export * from "./surface";
