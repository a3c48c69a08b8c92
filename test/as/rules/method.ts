// Unit entry for test/rules/method.test.ts (see surface.ts).
export * from "./surface";
