// Stack indexes as the reference computes them (docs/operations.md §3). Its documentation promises
// Ruby-like negative indexes, but the code takes the remainder `i % len` (sign of `i`) and
// reinterprets a negative remainder as a huge unsigned number. So a negative index is valid
// only when `len` divides it, and then it designates the bottom (0). Reproduced on purpose:
// it decides which configurations succeed.

/** the position `index` designates in a stack of `len` (≥ 1) values, or -1 if out of range */
export function resolveIndex(index: i32, len: i32): i32 {
  if (index >= 0) return index < len ? index : -1;
  return index % len == 0 ? 0 : -1;
}
