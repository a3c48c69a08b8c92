// Check operations (docs/operations.md §4.4): they never change the stack. Those taking operations
// run them on copies of it and only look at success or failure.
import { Budget } from "./budget";
import { runAlone, runPipeline } from "./run";
import { Op } from "./types";

/** `ok` / `fail` */
export class ConstOp extends Op {
  constructor(public succeed: bool) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return this.succeed ? stack : null;
  }
}

/**
 * `any` (1…n successes), `one_of` (exactly 1), `all` (n), `none` (0): each operation runs
 * alone on a copy of the stack, in order, and evaluation stops as soon as the outcome is
 * decided — `any` at the first success, `one_of` at the second, `all` at the first failure,
 * `none` at the first success.
 */
export class CountOp extends Op {
  constructor(public ops: Array<Op>, public min: i32, public max: i32) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const n = this.ops.length;
    let successes = 0;
    // i < n inside the loop: with nothing left to run, the outcome is always decided
    for (let i = 0; !this.decided(successes, n - i); i++) {
      if (runAlone(this.ops[i], stack.slice(), budget) != null) successes++;
    }
    return successes >= this.min && successes <= this.max ? stack : null;
  }

  private decided(successes: i32, open: i32): bool {
    return successes > this.max || successes + open < this.min || (successes >= this.min && successes + open <= this.max);
  }
}

/** `assert` / `refute`: the list as one pipeline on a copy must succeed / must fail */
export class ChainCheckOp extends Op {
  constructor(public ops: Array<Op>, public expectSuccess: bool) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const succeeded = runPipeline(this.ops, stack.slice(), budget) != null;
    return succeeded == this.expectSuccess ? stack : null;
  }
}
