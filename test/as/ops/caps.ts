// Unit entry for test/ops/caps.test.ts (see surface.ts).
export * from "./surface";
