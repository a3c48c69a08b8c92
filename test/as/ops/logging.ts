// Unit entry for test/ops/logging.test.ts (see surface.ts).
export * from "./surface";
