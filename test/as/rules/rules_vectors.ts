// Unit entry for test/rules/vectors.test.ts (see exports.ts).
export * from "./exports";
