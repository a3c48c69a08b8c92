// Unit entry: the rule index against a full scan of the same compiled patterns.
import { compilePattern, CompiledPattern } from "../../../assembly/rules/pattern";
import { RuleIndex } from "../../../assembly/rules/index";

/** "i,j,…" of the rules a full scan matches, then "|", then the index's candidates */
export function scanVersusIndex(patterns: Array<string>, path: string, query: string | null): string {
  const compiled = new Array<CompiledPattern>();
  const prefixes = new Array<string>();
  for (let i = 0; i < patterns.length; i++) {
    const p = compilePattern(patterns[i]).pattern;
    if (!p) return "invalid " + patterns[i];
    compiled.push(p);
    prefixes.push(p.pathPrefix);
  }
  const matched = new Array<string>();
  for (let i = 0; i < compiled.length; i++) if (compiled[i].matches(path, query)) matched.push(i.toString());
  const candidates = new Array<i32>();
  new RuleIndex(prefixes).candidates(collapse(path), candidates);
  return matched.join(",") + "|" + candidates.map<string>((c: i32): string => c.toString()).join(",");
}

function collapse(path: string): string {
  let out = "";
  for (let i = 0; i < path.length; i++) {
    if (path.charAt(i) == "/" && out.endsWith("/")) continue;
    out += path.charAt(i);
  }
  return out;
}
