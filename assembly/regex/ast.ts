// Syntax tree of a parsed pattern. Each node records its nesting height (counted like the
// reference, to apply the same nest limit) and how many NFA instructions it compiles to.
import { CharClass } from "./charclass";
import { MAX_INSTRUCTIONS } from "./limits";

// `Literal` is one code point (`cp`); `Literals` a run of two or more (`cps`), one node where a
// node per character made a configuration's mapping rules allocate most of their memory.
export enum Kind { Empty, Literal, Literals, Class, Any, Start, End, Group, Concat, Alternate, Repeat }

/** `max` of an unbounded repetition. */
export const UNBOUNDED: u64 = u64.MAX_VALUE;

// Sizes saturate just above the limit, so a huge `{n}` cannot overflow the arithmetic.
const SIZE_CAP: u64 = <u64>MAX_INSTRUCTIONS + 1;

function capped(size: u64): u64 {
  return size > SIZE_CAP ? SIZE_CAP : size;
}

// Shared by every node without children and never written to: leaves are most of a pattern,
// and an array each made a configuration's mapping rules allocate twice as much.
const NO_CHILDREN: Array<Node> = [];

export class Node {
  cp: i32 = 0;
  cps: StaticArray<i32> | null = null;
  cls: CharClass | null = null;
  children: Array<Node> = NO_CHILDREN;
  min: u64 = 0;
  max: u64 = 0;

  constructor(public kind: Kind, public height: i32, public size: u64) {}
}

/** A node matching one thing and containing nothing: literal, `.`, `\A`, `\z`. */
export function leaf(kind: Kind, cp: i32 = 0): Node {
  const node = new Node(kind, 0, 1);
  node.cp = cp;
  return node;
}

/** Two or more literal code points in a row. */
export function literals(cps: Array<i32>): Node {
  const node = new Node(Kind.Literals, 0, <u64>cps.length);
  node.cps = StaticArray.fromArray<i32>(cps);
  return node;
}

/** A character class; `height` is 0 for `\d`-style classes, as computed by the class parser for `[...]`. */
export function classNode(cls: CharClass, height: i32): Node {
  const node = new Node(Kind.Class, height, 1);
  node.cls = cls;
  return node;
}

export function group(child: Node): Node {
  const node = new Node(Kind.Group, child.height + 1, child.size);
  node.children = [child];
  return node;
}

export function concat(items: Array<Node>): Node {
  if (items.length == 0) return new Node(Kind.Empty, 0, 0);
  // A run stands for a concatenation of its characters, one level up (the nest limit counts it so).
  if (items.length == 1 && items[0].kind != Kind.Literals) return items[0];
  let height = 0;
  let size: u64 = 0;
  for (let i = 0; i < items.length; i++) {
    height = max(height, items[i].height);
    size = capped(size + items[i].size);
  }
  const node = new Node(Kind.Concat, height + 1, size);
  node.children = items;
  return node;
}

export function alternate(branches: Array<Node>): Node {
  if (branches.length == 1) return branches[0];
  let height = 0;
  // A SPLIT and a JMP for every branch but the last.
  let size: u64 = <u64>(branches.length - 1) * 2;
  for (let i = 0; i < branches.length; i++) {
    height = max(height, branches[i].height);
    size = capped(size + branches[i].size);
  }
  const node = new Node(Kind.Alternate, height + 1, capped(size));
  node.children = branches;
  return node;
}

export function repeat(child: Node, min: u64, max: u64): Node {
  const node = new Node(Kind.Repeat, child.height + 1, repeatSize(child.size, min, max));
  node.children = [child];
  node.min = min;
  node.max = max;
  return node;
}

// Mirrors the compiler: `min` copies, then either a loop (SPLIT + JMP around one more copy, or
// a single SPLIT back into the last mandatory copy) or one SPLIT + copy per optional repetition.
function repeatSize(child: u64, min: u64, max: u64): u64 {
  if (child == 0) return 0;
  const mandatory = capped(min * child);
  if (max == UNBOUNDED) return capped(mandatory + (min == 0 ? child + 2 : 1));
  return capped(mandatory + (max - min) * (child + 1));
}
