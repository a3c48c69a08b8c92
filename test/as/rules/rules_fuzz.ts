// Unit entry for test/rules/fuzz.test.ts (see exports.ts).
export * from "./exports";
