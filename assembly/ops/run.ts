// Pipeline execution (docs/operations.md §1): operations run in order on a stack of strings
// (bottom first); a failure, or an empty stack after any operation, fails the pipeline.
import { Budget } from "./budget";
import { Op } from "./types";

/** sees a pipeline's stack after each operation (the decision trace); never set in the filter */
export abstract class StackObserver {
  /** `stack` after operation `index`, null when it failed; the next operation may modify it in place */
  abstract afterOp(index: i32, stack: Array<string> | null): void;
}

/**
 * Runs a configured pipeline on `stack`, which it consumes (it may be modified in place).
 * Returns the final stack, or null when the pipeline failed. No operations: `stack` as is.
 */
export function runOps(ops: Array<Op>, stack: Array<string>, observer: StackObserver | null = null): Array<string> | null {
  if (ops.length == 0) return stack;
  return runPipeline(ops, stack, new Budget(), observer);
}

/** a (sub-)pipeline sharing the caller's budget; an empty list returns `stack` unchanged */
export function runPipeline(ops: Array<Op>, stack: Array<string>, budget: Budget, observer: StackObserver | null = null): Array<string> | null {
  let current: Array<string> | null = stack;
  for (let i = 0; i < ops.length && current != null; i++) {
    current = runAlone(ops[i], current, budget);
    if (observer) observer.afterOp(i, current);
  }
  return current;
}

/** one operation with the after-operation checks of §1.1 and the caps */
export function runAlone(op: Op, stack: Array<string>, budget: Budget): Array<string> | null {
  // only an empty initial stack can get here empty: every operation fails on it
  if (stack.length == 0 || budget.exhausted) return null;
  const out = op.run(stack, budget);
  if (out == null || out.length == 0 || !budget.fits(out.length)) return null;
  return out;
}
