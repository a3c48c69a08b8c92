// Unit entry for test/ops/errors.test.ts (see surface.ts).
export * from "./surface";
