// Syntax tree -> NFA program (Thompson construction). Callers check the tree's size against
// MAX_INSTRUCTIONS first, so every loop here is bounded; recursion is bounded by the nest limit.
import { Kind, Node, UNBOUNDED } from "./ast";
import { CharClass } from "./charclass";
import { Op, Program } from "./program";

export function compile(root: Node, anchored: bool): Program {
  const builder = new Builder(<i32>root.size + 1);
  builder.node(root);
  builder.emit(Op.Match);
  return builder.build(anchored);
}

// The program's arrays are allocated once at the size the tree counts (ast.ts mirrors what this
// emits) and become the program's own. Should the count ever be off, `emit` still grows them and
// `build` trims them: a wrong count costs a copy, never a trap.
class Builder {
  ops: StaticArray<i32>;
  args: StaticArray<i32>;
  alts: StaticArray<i32>;
  classes: Array<CharClass> = [];
  pc: i32 = 0;

  constructor(instructions: i32) {
    this.ops = new StaticArray<i32>(instructions);
    this.args = new StaticArray<i32>(instructions);
    this.alts = new StaticArray<i32>(instructions);
  }

  emit(op: Op, arg: i32 = 0, alt: i32 = 0): i32 {
    if (this.pc == this.ops.length) {
      const capacity = this.pc * 2 + 1;
      this.ops = resized(this.ops, capacity);
      this.args = resized(this.args, capacity);
      this.alts = resized(this.alts, capacity);
    }
    const pc = this.pc++;
    this.ops[pc] = op;
    this.args[pc] = arg;
    this.alts[pc] = alt;
    return pc;
  }

  node(n: Node): void {
    if (n.size == 0) return; // matches only the empty string and asserts nothing
    switch (n.kind) {
      case Kind.Literal: this.emit(Op.Char, n.cp); break;
      case Kind.Literals: { const cps = n.cps!; for (let i = 0; i < cps.length; i++) this.emit(Op.Char, cps[i]); break; }
      case Kind.Class: this.klass(n.cls!); break;
      case Kind.Any: this.emit(Op.Any); break;
      case Kind.Start: this.emit(Op.Start); break;
      case Kind.End: this.emit(Op.End); break;
      case Kind.Group: this.node(n.children[0]); break;
      case Kind.Concat: for (let i = 0; i < n.children.length; i++) this.node(n.children[i]); break;
      case Kind.Alternate: this.alternate(n.children); break;
      case Kind.Repeat: this.repeat(n.children[0], n.min, n.max); break;
    }
  }

  build(anchored: bool): Program {
    const n = this.pc;
    return new Program(resized(this.ops, n), resized(this.args, n), resized(this.alts, n), this.classes, anchored);
  }

  private klass(cls: CharClass): void {
    cls.finish();
    this.classes.push(cls);
    this.emit(Op.Class, this.classes.length - 1);
  }

  private alternate(branches: Array<Node>): void {
    const jumps = new Array<i32>();
    const last = branches.length - 1;
    for (let i = 0; i < last; i++) {
      const split = this.emit(Op.Split, this.pc + 1);
      this.node(branches[i]);
      jumps.push(this.emit(Op.Jump));
      this.alts[split] = this.pc;
    }
    this.node(branches[last]);
    for (let i = 0; i < jumps.length; i++) this.args[jumps[i]] = this.pc;
  }

  private repeat(child: Node, min: u64, max: u64): void {
    let lastCopy = this.pc;
    for (let i: u64 = 0; i < min; i++) {
      lastCopy = this.pc;
      this.node(child);
    }
    if (max == UNBOUNDED) {
      if (min > 0) {
        this.emit(Op.Split, lastCopy, this.pc + 1); // x{n,} = x{n-1} x+
        return;
      }
      const split = this.emit(Op.Split, this.pc + 1);
      this.node(child);
      this.emit(Op.Jump, split);
      this.alts[split] = this.pc;
      return;
    }
    const splits = new Array<i32>();
    for (let i = min; i < max; i++) {
      splits.push(this.emit(Op.Split, this.pc + 1));
      this.node(child);
    }
    for (let i = 0; i < splits.length; i++) this.alts[splits[i]] = this.pc;
  }
}

/** `values` with `length` elements (the first ones kept, zeros after them): itself when it has that length */
function resized(values: StaticArray<i32>, length: i32): StaticArray<i32> {
  if (values.length == length) return values;
  const out = new StaticArray<i32>(length);
  memory.copy(changetype<usize>(out), changetype<usize>(values), <usize>min(length, values.length) << 2);
  return out;
}
