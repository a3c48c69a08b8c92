// Stack operations (docs/operations.md §4.3). The runner guarantees a non-empty input and rejects
// an empty result, so the "fails if nothing remains" rules need no code here.
import { Budget } from "./budget";
import { resolveIndex } from "./index_math";
import { runPipeline } from "./run";
import { Op, UNSET, withinBounds } from "./types";
import { LogLevel, log, logEnabled, mask } from "../runtime/log";
import { StringBuilder } from "../text/builder";

export class LengthOp extends Op {
  constructor(public min: i64, public max: i64) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return withinBounds(stack.length, this.min, this.max) ? stack : null;
  }
}

export class JoinOp extends Op {
  constructor(public separator: string) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    // size it first: 1024 values × a long separator must not be built to be refused
    let length = <i64>this.separator.length * <i64>(stack.length - 1);
    for (let i = 0; i < stack.length; i++) length += stack[i].length;
    if (!budget.charge(length + 1)) return null;
    const out = new Array<string>(1);
    out[0] = new StringBuilder(<i32>length).addJoined(stack, this.separator).toString();
    return out;
  }
}

export class ReverseOp extends Op {
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return stack.reverse();
  }
}

export class ContainsOp extends Op {
  constructor(public value: string) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return stack.includes(this.value) ? stack : null;
  }
}

export class PushOp extends Op {
  constructor(public value: string) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return budget.emit(stack, this.value, false) ? stack : null;
  }
}

export class PopOp extends Op {
  constructor(public count: u32) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    stack.length = <i32>max<i64>(0, <i64>stack.length - <i64>this.count);
    return stack;
  }
}

export class DupOp extends Op {
  constructor(public index: i32) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const at = resolveIndex(this.index, stack.length);
    return at >= 0 && budget.emit(stack, stack[at], false) ? stack : null;
  }
}

export class XchgOp extends Op {
  constructor(public value: string) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    stack.pop();
    return budget.emit(stack, this.value, false) ? stack : null;
  }
}

/** `take` keeps, `drop` removes, the lowest `head` and the topmost `tail` values */
export class TakeDropOp extends Op {
  constructor(public keep: bool, public head: i64, public tail: i64) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const n = <i64>stack.length;
    const low = this.head == UNSET ? 0 : min(this.head, n);
    const upper = n - low;
    const high = this.tail == UNSET ? 0 : min(this.tail, upper);
    if (!this.keep) return stack.slice(<i32>low, <i32>(n - high));
    const out = stack.slice(0, <i32>low);
    for (let i = n - high; i < n; i++) out.push(stack[<i32>i]);
    return out;
  }
}

export class SwapOp extends Op {
  constructor(public from: i32, public to: i32) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    if (this.from == this.to) return stack; // the reference skips the bounds check
    const a = resolveIndex(this.from, stack.length);
    const b = resolveIndex(this.to, stack.length);
    if (a < 0 || b < 0) return null;
    const t = stack[a];
    stack[a] = stack[b];
    stack[b] = t;
    return stack;
  }
}

export class IndexesOp extends Op {
  constructor(public indexes: Array<i32>) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const count = this.indexes.length;
    if (count == 0) return stack;
    if (!budget.fits(count) || !budget.charge(count)) return null;
    const out = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const at = resolveIndex(this.indexes[i], stack.length);
      if (at < 0) return null;
      out[i] = stack[at];
    }
    return out;
  }
}

/**
 * `flat_map` runs `ops` on each value alone and concatenates the results (any failure fails);
 * `select` does the same but skips the values whose run fails.
 */
export class EachOp extends Op {
  constructor(public ops: Array<Op>, public skipFailures: bool) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    if (this.ops.length == 0) return stack;
    const out = new Array<string>();
    for (let i = 0; i < stack.length; i++) {
      const single = new Array<string>(1);
      single[0] = stack[i];
      const result = runPipeline(this.ops, single, budget);
      if (budget.exhausted) return null;
      if (result == null) {
        if (this.skipFailures) continue;
        return null;
      }
      if (!budget.fits(out.length + result.length)) return null;
      for (let k = 0; k < result.length; k++) out.push(result[k]);
    }
    return out;
  }
}

const STACK_TAG = "[3scale-auth/stack] ";

export class ValuesOp extends Op {
  constructor(public level: LogLevel, public id: string | null) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    if (!logEnabled(this.level)) return stack;
    // credentials never reach logs at info or above: values are masked there
    const reveal = this.level <= LogLevel.Debug;
    const id = this.id;
    const line = new StringBuilder().add(STACK_TAG).add("values at ").add(id != null ? id : "()").add(": ");
    for (let i = 0; i < stack.length; i++) {
      if (i > 0) line.add(", ");
      if (reveal) quote(line, stack[i]);
      else line.add(mask(stack[i]));
    }
    log(this.level, line.toString());
    return stack;
  }
}

/** appends a double-quoted rendering with quotes, backslashes and control characters escaped */
function quote(out: StringBuilder, s: string): void {
  out.addCode(0x22);
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const escaped = c == 0x5c ? "\\\\" : c == 0x22 ? "\\\"" : c == 0x0a ? "\\n" : c == 0x0d ? "\\r" : c == 0x09 ? "\\t" : null;
    if (escaped == null) continue;
    out.addRange(s, start, i).add(escaped);
    start = i + 1;
  }
  out.addRange(s, start, s.length).addCode(0x22);
}
