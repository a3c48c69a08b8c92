// Unit entry for test/ops/semantics.test.ts (see surface.ts).
export * from "./surface";
