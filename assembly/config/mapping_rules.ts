// `mapping_rules` (configuration.md §10); patterns are compiled here, once.
import { JsonValue } from "../json/value";
import { normalizeMethod } from "../rules/method";
import { compilePattern } from "../rules/pattern";
import { MappingRule, Usage } from "./types";
import { ConfigReader, fieldPath, indexPath } from "./reader";

export function parseMappingRules(v: JsonValue, path: string, r: ConfigReader): Array<MappingRule> {
  const out = new Array<MappingRule>();
  const list = r.list(v, path);
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const rule = parseRule(list.at(i), indexPath(path, i), r);
    if (!rule) return out;
    out.push(rule);
  }
  return out;
}

function parseRule(v: JsonValue, path: string, r: ConfigReader): MappingRule | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  const method = r.required(obj, path, "method");
  const pattern = r.required(obj, path, "pattern");
  const usagesValue = r.required(obj, path, "usages");
  if (!method || !pattern || !usagesValue || r.failed) return null;
  const methodText = r.str(method, fieldPath(path, "method"));
  const patternText = r.str(pattern, fieldPath(path, "pattern"));
  const usages = parseUsages(usagesValue, fieldPath(path, "usages"), r);
  const lastValue = r.defaulted(obj, path, "last");
  const last = lastValue ? r.bool(lastValue, fieldPath(path, "last")) : false;
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
  const out = new Array<Usage>();
  const list = r.list(v, path);
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const p = indexPath(path, i);
    const obj = r.object(list.at(i), p);
    if (!obj) return out;
    const name = r.required(obj, p, "name");
    const delta = r.required(obj, p, "delta");
    if (!name || !delta) return out;
    const usage = new Usage(r.str(name, fieldPath(p, "name")), r.signed(delta, fieldPath(p, "delta")));
    if (r.failed) return out;
    if (usage.delta < 0) r.warn(fieldPath(p, "delta"), "negative delta " + usage.delta.toString() + ": 3scale rejects negative usage (usage_value_invalid), requests matching this rule will be denied");
    out.push(usage);
  }
  return out;
}
