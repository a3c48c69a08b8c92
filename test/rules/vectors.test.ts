// The public mapping-rule vectors (docs/configuration.md §9.3): one rule against one request.
import { beforeAll, describe, expect, it } from "vitest";
import vectors from "./vectors/mapping_rules.json";
import { loadRules, requestTarget, type RulesUnit } from "./support";

interface Vector {
  pattern: string;
  method_rule: string;
  method: string;
  path: string;
  match: boolean;
}

let m: RulesUnit;
beforeAll(async () => {
  m = await loadRules("vectors");
});

describe("mapping_rules.json", () => {
  it.each((vectors as Vector[]).map((v) => [`${v.method_rule} ${v.pattern} | ${v.method} ${v.path}`, v] as const))(
    "%s",
    (_name, v) => {
      expect(m.patternCompile(v.pattern)).toBe("");
      const { path, query } = requestTarget(v.path);
      const matched = m.ruleMethodMatches(v.method_rule, v.method) && m.patternMatches(path, query);
      expect(matched).toBe(v.match);
    },
  );
});
