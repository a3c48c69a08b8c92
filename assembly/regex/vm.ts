// Thompson NFA simulation: the set of live instructions advances one code point at a time, so
// matching costs O(subject length x program length) whatever the pattern, with no recursion
// and no allocation (the sets are shared scratch, grown only for a larger program). Only a
// yes/no answer is needed, so threads carry no captures and priorities do not matter.
//
// Indexes are unchecked: they are instruction indexes, every one inside the program (the
// compiler only emits jump targets inside it, and Match, which jumps nowhere, is last), and the
// scratch is sized for the program. Bounds checks here cost more than half the matching time.
import { Op, Program } from "./program";
import { codePointAt, codePointWidth } from "./utf16";

// Set of instruction indexes with O(1) insert, lookup and clear.
class SparseSet {
  dense: StaticArray<i32>;
  sparse: StaticArray<i32>;
  size: i32 = 0;

  constructor(public capacity: i32) {
    this.dense = new StaticArray<i32>(capacity);
    this.sparse = new StaticArray<i32>(capacity);
  }

  has(pc: i32): bool {
    const index = unchecked(this.sparse[pc]);
    return index < this.size && unchecked(this.dense[index]) == pc;
  }

  insert(pc: i32): void {
    unchecked((this.dense[this.size] = pc));
    unchecked((this.sparse[pc] = this.size));
    this.size++;
  }
}

let current = new SparseSet(0);
let following = new SparseSet(0);
// Pending instructions of one closure: one to start with, and each instruction inserted in the
// set pushes at most two.
let stack = new StaticArray<i32>(1);

function reserve(length: i32): void {
  if (current.capacity >= length) return;
  current = new SparseSet(length);
  following = new SparseSet(length);
  stack = new StaticArray<i32>(2 * length + 1);
}

/**
 * Whether `program` matches in s[start, end) (the whole subject, for `\A` and `\z`) at or after
 * `from`; an anchored program only at `from`.
 */
export function run(program: Program, s: string, start: i32, from: i32, end: i32): bool {
  reserve(program.length);
  let live = current;
  let next = following;
  live.size = 0;
  let pos = from;
  while (true) {
    if ((pos == from || !program.anchored) && addThread(program, live, 0, pos, start, end)) return true;
    if (pos >= end || (live.size == 0 && program.anchored)) return false;
    const cp = codePointAt(s, pos, end);
    const after = pos + codePointWidth(cp);
    next.size = 0;
    for (let i = 0; i < live.size; i++) {
      const pc = unchecked(live.dense[i]);
      if (consumes(program, pc, cp) && addThread(program, next, pc + 1, after, start, end)) return true;
    }
    const swap = live;
    live = next;
    next = swap;
    pos = after;
  }
}

function consumes(program: Program, pc: i32, cp: i32): bool {
  switch (unchecked(program.ops[pc])) {
    case Op.Char: return unchecked(program.args[pc]) == cp;
    case Op.Any: return cp != 0x0a;
    case Op.Class: return unchecked(program.classes[unchecked(program.args[pc])]).contains(cp);
  }
  return false;
}

// Adds `pc` and everything reachable from it without consuming input at `pos`; true when that
// reaches Match.
function addThread(program: Program, list: SparseSet, pc: i32, pos: i32, start: i32, end: i32): bool {
  let top = 0;
  unchecked((stack[top++] = pc));
  while (top > 0) {
    const at = unchecked(stack[--top]);
    if (list.has(at)) continue;
    list.insert(at);
    switch (unchecked(program.ops[at])) {
      case Op.Match: return true;
      case Op.Jump: unchecked((stack[top++] = program.args[at])); break;
      case Op.Split: {
        unchecked((stack[top++] = program.alts[at]));
        unchecked((stack[top++] = program.args[at]));
        break;
      }
      case Op.Start: if (pos == start) unchecked((stack[top++] = at + 1)); break;
      case Op.End: if (pos == end) unchecked((stack[top++] = at + 1)); break;
    }
  }
  return false;
}
