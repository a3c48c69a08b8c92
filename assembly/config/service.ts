// One element of `services` (docs/configuration.md §7).
import { JsonValue } from "../json/value";
import { compileGlob, Glob } from "../glob/glob";
import { parseCredentials } from "./credentials";
import { parseMappingRules } from "./mapping_rules";
import { MappingRule, Service } from "./types";
import { ConfigReader, fieldPath, indexPath } from "../json/reader";
import { parseReplies, Replies } from "./replies";
import { parseFailurePolicy } from "./failure_policy";

export function parseService(v: JsonValue, path: string, r: ConfigReader): Service | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  const idValue = r.required(obj, path, "id");
  if (!idValue) return null;
  const id = r.str(idValue, fieldPath(path, "id"));
  const tokenValue = r.nullable(obj, "token");
  const token: string | null = tokenValue ? r.str(tokenValue, fieldPath(path, "token")) : null;
  const envValue = r.defaulted(obj, path, "environment");
  const environment = envValue ? r.str(envValue, fieldPath(path, "environment")) : "production";
  // The reference's default for a missing `authorities` traps; we ask for it explicitly.
  const authValue = r.required(obj, path, "authorities");
  const authorities = authValue ? parseAuthorities(authValue, fieldPath(path, "authorities"), r) : new Array<Glob>();
  const credValue = r.required(obj, path, "credentials");
  if (r.failed || !credValue) return null;
  const credentials = parseCredentials(credValue, fieldPath(path, "credentials"), r);
  const rulesValue = r.defaulted(obj, path, "mapping_rules");
  const rules = rulesValue ? parseMappingRules(rulesValue, fieldPath(path, "mapping_rules"), r) : new Array<MappingRule>();
  const repliesValue = r.nullable(obj, "replies");
  const replies = repliesValue ? parseReplies(repliesValue, fieldPath(path, "replies"), r) : Replies.unset();
  const limitsValue = r.nullable(obj, "rate_limit_headers");
  const rateLimitHeaders = limitsValue ? r.bool(limitsValue, fieldPath(path, "rate_limit_headers")) : false;
  const policyValue = r.nullable(obj, "failure_policy");
  const policy = policyValue ? parseFailurePolicy(policyValue, fieldPath(path, "failure_policy"), r) : null;
  if (r.failed || !credentials) return null;
  return new Service(id, token, environment, authorities, credentials, rules, replies, rateLimitHeaders, policy);
}

function parseAuthorities(v: JsonValue, path: string, r: ConfigReader): Array<Glob> {
  const out = new Array<Glob>();
  const patterns = r.strList(v, path);
  for (let i = 0; i < patterns.length && !r.failed; i++) {
    const compiled = compileGlob(patterns[i]);
    const g = compiled.glob;
    if (!g) r.fail(indexPath(path, i), compiled.error);
    else out.push(g);
  }
  return out;
}
