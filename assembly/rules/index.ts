// An index over a service's mapping rules: a trie of their literal path prefixes. A rule can
// only match a path that starts with its prefix, so walking the request path through the trie
// yields every rule that may match, and only a few of them; they are then evaluated in rule
// order exactly as a full scan would. Rules whose matches may start anywhere (a top-level
// alternation) have an empty prefix and are always candidates.

// Nodes are indexes into parallel arrays (a few bytes each; a node object with three arrays of
// its own took ~250): each node's children form a list through `nextSibling`, and the rules whose
// prefix ends at a node a list through `nextRule`.
export class RuleIndex {
  /** the code unit on the edge into each node (unused for the root, node 0) */
  private unit: Array<u16> = [0];
  private firstChild: Array<i32> = [-1];
  private nextSibling: Array<i32> = [-1];
  /** per node the first rule whose prefix ends there, per rule the next one (-1: none) */
  private firstRule: Array<i32> = [-1];
  private nextRule: Array<i32>;

  constructor(prefixes: Array<string>) {
    this.nextRule = new Array<i32>(prefixes.length);
    // each rule is put in front of its node's list: inserting the last rule first leaves every list ascending
    for (let i = prefixes.length - 1; i >= 0; i--) this.insert(prefixes[i], i);
  }

  private insert(prefix: string, rule: i32): void {
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const c = <u16>prefix.charCodeAt(i);
      let next = this.child(node, c);
      if (next < 0) {
        next = this.unit.length;
        this.unit.push(c);
        this.firstChild.push(-1);
        this.nextSibling.push(this.firstChild[node]);
        this.firstRule.push(-1);
        this.firstChild[node] = next;
      }
      node = next;
    }
    this.nextRule[rule] = this.firstRule[node];
    this.firstRule[node] = rule;
  }

  private child(node: i32, c: u16): i32 {
    for (let n = this.firstChild[node]; n >= 0; n = this.nextSibling[n]) if (this.unit[n] == c) return n;
    return -1;
  }

  /** fills `out` with the rules whose prefix starts `path`, in ascending rule order */
  candidates(path: string, out: Array<i32>): void {
    out.length = 0;
    let node = 0;
    let i = 0;
    while (true) {
      for (let r = this.firstRule[node]; r >= 0; r = this.nextRule[r]) out.push(r);
      if (i >= path.length) break;
      node = this.child(node, <u16>path.charCodeAt(i++));
      if (node < 0) break;
    }
    // one ascending run per trie node on the path: the library's run-merging sort takes
    // O(n log n) where an insertion sort took O(n²) for thousands of interleaved rules
    out.sort();
  }
}
