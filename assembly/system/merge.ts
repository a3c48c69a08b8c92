// Merging a fetched document into the static service (docs/configuration.md §7.4). Always
// from the static service, so refreshes never append rules twice; the result is a new Service
// and a new Config, never a mutation of what running streams hold (defect D10).
import { Config, MappingRule, Service, Usage } from "../config/types";
import { normalizeMethod } from "../rules/method";
import { compilePattern } from "../rules/pattern";
import { FetchedConfig, FetchedRule } from "./document";
import { StringBuilder } from "../text/builder";

/** the reference's default metric (defect D7: a default 3scale service calls it `hits`) */
const DEFAULT_METRIC = "Hits";

export class MergeResult {
  constructor(public service: Service, public warnings: Array<string>) {}
}

export function mergeService(base: Service, fetched: FetchedConfig): MergeResult {
  const warnings = new Array<string>();
  const rules = base.rules.slice();
  // a rule also in the static list would count its usage twice (upstream issue #73)
  const statics = new Set<string>();
  for (let i = 0; i < base.rules.length; i++) statics.add(ruleKey(base.rules[i]));
  for (let i = 0; i < fetched.rules.length; i++) {
    const rule = toMappingRule(fetched.rules[i], "proxy_rules[" + i.toString() + "]", warnings);
    if (rule && !statics.has(ruleKey(rule))) rules.push(rule);
  }
  const token = fetched.token;
  // static replies win over the portal's, field by field
  const replies = base.replies.over(fetched.replies);
  const service = new Service(base.id, token != null ? token : base.token, base.environment, base.authorities, base.credentials, rules, replies, base.rateLimitHeaders, base.failurePolicy);
  service.metricSlot = base.metricSlot;
  return new MergeResult(service, warnings);
}

/** a copy of `config` whose service `index` is `service` */
export function withService(config: Config, index: i32, service: Service): Config {
  const current = config.services;
  if (!current || index < 0 || index >= current.length) return config;
  const services = current.slice();
  services[index] = service;
  return new Config(config.system, config.backend, services, config.passthroughMetadata, config.failurePolicy);
}

function toMappingRule(f: FetchedRule, name: string, warnings: Array<string>): MappingRule | null {
  const compiled = compilePattern(f.pattern);
  const pattern = compiled.pattern;
  if (!pattern) {
    // defect D5: the reference traps here
    warnings.push(name + " (" + f.method + " " + f.pattern + ") skipped: " + compiled.error);
    return null;
  }
  let metric = f.metric;
  if (metric == null) {
    warnings.push(name + " (" + f.method + " " + f.pattern + ") has no metric_system_name: using `" + DEFAULT_METRIC + "` like the reference");
    metric = DEFAULT_METRIC;
  }
  const usages = new Array<Usage>();
  usages.push(new Usage(metric, f.delta));
  return new MappingRule(normalizeMethod(f.method), f.pattern, pattern, usages, f.last);
}

/** method, pattern and usages, each text length-prefixed: equal keys, equal rules */
function ruleKey(rule: MappingRule): string {
  const key = new StringBuilder();
  addField(key, rule.method);
  addField(key, rule.patternText);
  for (let i = 0; i < rule.usages.length; i++) addField(key, rule.usages[i].name).addInt(rule.usages[i].delta).addCode(0x3b);
  return key.toString();
}

function addField(key: StringBuilder, text: string): StringBuilder {
  return key.addInt(text.length).addCode(0x3a).add(text);
}
