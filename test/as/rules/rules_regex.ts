// Unit entry for test/rules/regex.test.ts (see exports.ts).
export * from "./exports";
