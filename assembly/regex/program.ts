// A compiled NFA: instruction i is ops[i] with operands args[i] and alts[i].
import { CharClass } from "./charclass";

export enum Op {
  Char, // consume code point args[i]
  Class, // consume a code point of classes[args[i]]
  Any, // consume any code point but a line feed
  Start, // succeed only at the start of the subject
  End, // succeed only at its end
  Split, // continue at args[i] and at alts[i]
  Jump, // continue at args[i]
  Match,
}

export class Program {
  constructor(
    public ops: StaticArray<i32>,
    public args: StaticArray<i32>,
    public alts: StaticArray<i32>,
    public classes: Array<CharClass>,
    /** Every match starts at the start of the subject, so the search never restarts later. */
    public anchored: bool,
  ) {}

  get length(): i32 {
    return this.ops.length;
  }
}
