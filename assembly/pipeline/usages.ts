// Mapping rules → usages (docs/configuration.md §9.2): every matching rule adds all its
// usages, deltas of one metric are summed (signed 64-bit), `last` stops evaluation. Metrics
// keep first-insertion order (defect D12: the reference's order was a hash map's).
import { Service, Usages } from "../config/types";
import { collapseRequestPath } from "../rules/slashes";
import { methodMatches } from "../rules/method";
import { DecisionTrace } from "./trace";

export { Usages };

/** rule numbers the index proposes for the current request (reused: no allocation per request) */
const candidates = new Array<i32>();

/** the rules that matched the current request (reused) */
const matched = new Array<i32>();

/** rules that cannot match (their literal path prefix differs) are skipped via the index */
export function computeUsages(service: Service, method: string, path: string, query: string | null, trace: DecisionTrace | null = null): Usages {
  const rules = service.rules;
  service.ruleIndex.candidates(collapseRequestPath(path), candidates);
  matched.length = 0;
  for (let c = 0; c < candidates.length; c++) {
    const rule = rules[candidates[c]];
    if (!methodMatches(rule.method, method) || !rule.pattern.matches(path, query)) continue;
    if (trace) trace.rule(candidates[c]);
    matched.push(candidates[c]);
    if (rule.last) break;
  }
  return service.usagesOf(matched);
}
