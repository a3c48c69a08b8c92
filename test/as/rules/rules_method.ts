// Unit entry for test/rules/method.test.ts (see exports.ts).
export * from "./exports";
