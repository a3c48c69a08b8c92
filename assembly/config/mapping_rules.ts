// `mapping_rules` (docs/configuration.md §9); patterns are compiled here, once. Member paths are
// passed as (path, name): configurations have thousands of rules, and most paths serve no error.
import { JsonValue } from "../json/value";
import { normalizeMethod } from "../rules/method";
import { compilePattern } from "../rules/pattern";
import { MappingRule, Usage } from "./types";
import { ConfigReader, fieldPath } from "../json/reader";

export function parseMappingRules(v: JsonValue, path: string, r: ConfigReader): Array<MappingRule> {
  return r.listOf<MappingRule>(v, path, parseRule);
}

function parseRule(v: JsonValue, path: string, r: ConfigReader): MappingRule | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  const method = r.required(obj, path, "method");
  const pattern = r.required(obj, path, "pattern");
  const usagesValue = r.required(obj, path, "usages");
  if (!method || !pattern || !usagesValue || r.failed) return null;
  const methodText = r.str(method, path, "method");
  const patternText = r.str(pattern, path, "pattern");
  const usages = parseUsages(usagesValue, fieldPath(path, "usages"), r);
  const lastValue = r.defaulted(obj, path, "last");
  const last = lastValue ? r.bool(lastValue, path, "last") : false;
  if (r.failed) return null;
  const compiled = compilePattern(patternText);
  const p = compiled.pattern;
  if (!p) {
    r.fail(fieldPath(path, "pattern"), compiled.error);
    return null;
  }
  return new MappingRule(normalizeMethod(methodText), patternText, p, usages, last);
}

function parseUsages(v: JsonValue, path: string, r: ConfigReader): Array<Usage> {
  return r.listOf<Usage>(v, path, parseUsage);
}

function parseUsage(v: JsonValue, path: string, r: ConfigReader): Usage | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  const name = r.required(obj, path, "name");
  const delta = r.required(obj, path, "delta");
  if (!name || !delta) return null;
  const usage = new Usage(r.str(name, path, "name"), r.signed(delta, path, I64.MIN_VALUE, I64.MAX_VALUE, "delta"));
  if (r.failed) return null;
  if (usage.delta < 0) r.warn(fieldPath(path, "delta"), "negative delta " + usage.delta.toString() + ": 3scale rejects negative usage (usage_value_invalid), requests matching this rule will be denied");
  return usage;
}
