// Unit entry for test/rules/path-pattern.test.ts (see exports.ts).
export * from "./exports";
