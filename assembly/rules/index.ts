// An index over a service's mapping rules: a trie of their literal path prefixes. A rule can
// only match a path that starts with its prefix, so walking the request path through the trie
// yields every rule that may match, and only a few of them; they are then evaluated in rule
// order exactly as a full scan would. Rules whose matches may start anywhere (a top-level
// alternation) have an empty prefix and are always candidates.

class Node {
  /** code units of the edges and their target nodes, in parallel */
  edges: Array<u16> = new Array<u16>();
  targets: Array<i32> = new Array<i32>();
  /** rules whose prefix ends here */
  rules: Array<i32> = new Array<i32>();
}

export class RuleIndex {
  private nodes: Array<Node> = [new Node()];

  constructor(prefixes: Array<string>) {
    for (let i = 0; i < prefixes.length; i++) this.insert(prefixes[i], i);
  }

  private insert(prefix: string, rule: i32): void {
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const c = <u16>prefix.charCodeAt(i);
      let next = this.child(node, c);
      if (next < 0) {
        next = this.nodes.length;
        this.nodes.push(new Node());
        this.nodes[node].edges.push(c);
        this.nodes[node].targets.push(next);
      }
      node = next;
    }
    this.nodes[node].rules.push(rule);
  }

  private child(node: i32, c: u16): i32 {
    const n = this.nodes[node];
    for (let i = 0; i < n.edges.length; i++) if (n.edges[i] == c) return n.targets[i];
    return -1;
  }

  /** fills `out` with the rules whose prefix starts `path`, in ascending rule order */
  candidates(path: string, out: Array<i32>): void {
    out.length = 0;
    let node = 0;
    let i = 0;
    while (true) {
      const rules = this.nodes[node].rules;
      for (let j = 0; j < rules.length; j++) out.push(rules[j]);
      if (i >= path.length) break;
      node = this.child(node, <u16>path.charCodeAt(i++));
      if (node < 0) break;
    }
    // one ascending run per trie node on the path: the library's run-merging sort takes
    // O(n log n) where an insertion sort took O(n²) for thousands of interleaved rules
    out.sort();
  }
}
