// The typed form of a configured operation (docs/operations.md). Each operation class implements
// `run`: it receives the current stack — bottom first, never empty, owned by the operation,
// which may modify and return it — and returns the new stack, or null when it fails.
import { Budget } from "./budget";

export abstract class Op {
  abstract run(stack: Array<string>, budget: Budget): Array<string> | null;
}

/** where `cloned`/`partial` put the sub-pipeline's result relative to the kept values */
export enum Placement { Append, Prepend }

/** "not given" for the optional size parameters (sizes are 0…u32 max) */
export const UNSET: i64 = -1;

/** `min ≤ n ≤ max`, each bound only when given (`length`, `strlen`) */
export function withinBounds(n: i64, min: i64, max: i64): bool {
  return (min == UNSET || n >= min) && (max == UNSET || n <= max);
}
