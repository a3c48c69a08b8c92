// Unit entry for test/rules/query-pattern.test.ts (see exports.ts).
export * from "./exports";
