// String operations (docs/operations.md §4.2): each takes the top value as its input; checks put it
// back unchanged, the others push their results in its place.
import { Budget } from "./budget";
import { replaceText, reverseChars, splitInto } from "./text";
import { Op, withinBounds } from "./types";
import { Glob } from "../glob/glob";

/** `strlen`: bounds on the UTF-8 byte length (both modes count bytes, as the reference does) */
export class StrlenOp extends Op {
  constructor(public min: i64, public max: i64) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const bytes = String.UTF8.byteLength(stack[stack.length - 1]);
    return withinBounds(bytes, this.min, this.max) ? stack : null;
  }
}

export class StrrevOp extends Op {
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return budget.emit(stack, reverseChars(stack.pop()), true) ? stack : null;
  }
}

/** `split` / `rsplit`: `max` pieces at most, 0 = unlimited */
export class SplitOp extends Op {
  constructor(public fromRight: bool, public separator: string, public max: u32) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    return splitInto(stack.pop(), this.separator, this.max, this.fromRight, stack, budget) ? stack : null;
  }
}

/** `replace`: the first `max` occurrences, 0 = all */
export class ReplaceOp extends Op {
  constructor(public pattern: string, public replacement: string, public max: u32) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const out = replaceText(stack.pop(), this.pattern, this.replacement, this.max, budget);
    if (out == null) return null;
    stack.push(out);
    return stack;
  }
}

export enum Affix { Prefix, Suffix, Substr }

/** `prefix` / `suffix` / `substr`: the top value starts with / ends with / contains `text` */
export class AffixOp extends Op {
  constructor(public where: Affix, public text: string) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const value = stack[stack.length - 1];
    const where = this.where;
    const found = where == Affix.Prefix ? value.startsWith(this.text)
      : where == Affix.Suffix ? value.endsWith(this.text)
      : value.includes(this.text);
    return found ? stack : null;
  }
}

/** `glob`: some pattern matches the whole top value (an empty list never does) */
export class GlobOp extends Op {
  constructor(public globs: Array<Glob>) { super(); }
  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const value = stack[stack.length - 1];
    for (let i = 0; i < this.globs.length; i++) if (this.globs[i].matches(value)) return stack;
    return null;
  }
}
