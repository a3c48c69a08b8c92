// Mapping rules → usages (docs/configuration.md §9.2): every matching rule adds all its
// usages, deltas of one metric are summed (signed 64-bit), `last` stops evaluation. Metrics
// keep first-insertion order (defect D12: the reference's order was a hash map's).
import { Service, Usage } from "../config/types";
import { collapseRequestPath } from "../rules/slashes";
import { methodMatches } from "../rules/method";
import { DecisionTrace } from "./trace";

/** most requests add a few usages: a scan is cheaper than a map up to this many names */
const SCANNED_NAMES: i32 = 16;

export class Usages {
  names: Array<string> = new Array<string>();
  /** percent-encoded names, as the backend calls send them */
  encodedNames: Array<string> = new Array<string>();
  sums: Array<i64> = new Array<i64>();
  /** name → position, once there are too many names to scan (thousands of matching rules) */
  private positions: Map<string, i32> | null = null;

  add(usage: Usage): void {
    const i = this.find(usage.name);
    if (i >= 0) {
      this.sums[i] = this.sums[i] + usage.delta;
      return;
    }
    this.names.push(usage.name);
    this.encodedNames.push(usage.encodedName);
    this.sums.push(usage.delta);
    let positions = this.positions;
    if (!positions && this.names.length > SCANNED_NAMES) {
      positions = new Map<string, i32>();
      for (let k = 0; k < this.names.length - 1; k++) positions.set(this.names[k], k);
      this.positions = positions;
    }
    if (positions) positions.set(usage.name, this.names.length - 1);
  }

  private find(name: string): i32 {
    const positions = this.positions;
    if (!positions) return this.names.indexOf(name);
    return positions.has(name) ? positions.get(name) : -1;
  }

  get isEmpty(): bool { return this.names.length == 0; }
}

/** rule numbers the index proposes for the current request (reused: no allocation per request) */
const candidates = new Array<i32>();

/** rules that cannot match (their literal path prefix differs) are skipped via the index */
export function computeUsages(service: Service, method: string, path: string, query: string | null, trace: DecisionTrace | null = null): Usages {
  const out = new Usages();
  const rules = service.rules;
  service.ruleIndex.candidates(collapseRequestPath(path), candidates);
  for (let c = 0; c < candidates.length; c++) {
    const rule = rules[candidates[c]];
    if (!methodMatches(rule.method, method) || !rule.pattern.matches(path, query)) continue;
    if (trace) trace.rule(candidates[c]);
    for (let j = 0; j < rule.usages.length; j++) out.add(rule.usages[j]);
    if (rule.last) break;
  }
  return out;
}
