// Control operations (docs/operations.md §4.5): nested operations whose effects are kept.
import { Budget } from "./budget";
import { runAlone, runPipeline } from "./run";
import { Op, Placement } from "./types";
import { LogLevel, log, logEnabled } from "../runtime/log";

/** `test`: `if` alone on a copy decides whether `then` or `else` runs on the stack */
export class TestOp extends Op {
  constructor(public condition: Op, public then: Array<Op>, public otherwise: Array<Op>) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const holds = runAlone(this.condition, stack.slice(), budget) != null;
    return runPipeline(holds ? this.then : this.otherwise, stack, budget);
  }
}

/** `and`: the list as one sub-pipeline whose result replaces the stack */
export class AndOp extends Op {
  constructor(public ops: Array<Op>) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return runPipeline(this.ops, stack, budget);
  }
}

/**
 * `or`: the first operation that succeeds alone on a copy supplies the new stack.
 * `xor`: exactly one may succeed (evaluation stops at the second success).
 */
export class ChoiceOp extends Op {
  constructor(public ops: Array<Op>, public exclusive: bool) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    let chosen: Array<string> | null = null;
    for (let i = 0; i < this.ops.length; i++) {
      const result = runAlone(this.ops[i], stack.slice(), budget);
      if (result == null) continue;
      if (!this.exclusive) return result;
      if (chosen != null) return null;
      chosen = result;
    }
    return chosen;
  }
}

function place(kept: Array<string>, result: Array<string>, placement: Placement): Array<string> {
  return placement == Placement.Append ? kept.concat(result) : result.concat(kept);
}

/** `cloned`: the list runs on a copy of the whole stack; its result joins the original */
export class ClonedOp extends Op {
  constructor(public ops: Array<Op>, public placement: Placement) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    if (!budget.charge(stack.length)) return null; // every value is duplicated
    const result = runPipeline(this.ops, stack.slice(), budget);
    return result != null ? place(stack, result, this.placement) : null;
  }
}

/**
 * `partial` (and `top`, its `append` form): the list runs on the top value alone and its
 * result joins the rest. The reference presents min(max, 1) values: `max` absent or ≥ 1
 * means the top value, `max: 0` always fails.
 */
export class PartialOp extends Op {
  constructor(public ops: Array<Op>, public placement: Placement, public max: i64) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    if (this.max == 0) return null;
    const single = new Array<string>(1);
    single[0] = stack.pop();
    const result = runPipeline(this.ops, single, budget);
    return result != null ? place(stack, result, this.placement) : null;
  }
}

const CONFIG_TAG = "[3scale-auth/config] ";

export class LogOp extends Op {
  constructor(public level: LogLevel, public message: string) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    if (logEnabled(this.level)) log(this.level, CONFIG_TAG + this.message);
    return stack;
  }
}
