// The proxy-config document (docs/backend-protocol.md §4.1), reduced to the fields the module uses
// (docs/backend-protocol.md §4.1). Unused fields are ignored, so a Porta version that adds, drops
// or nulls them does not break the fetch (defect D8). The same shape, written back with only
// those fields, is what workers share (coordination.ts).
import { JsonValue } from "../json/value";
import { parseJson } from "../json/parse";
import { addJsonString } from "../json/write";
import { StringBuilder } from "../text/builder";
import { ConfigReader, fieldPath } from "../json/reader";
import { REPLY_NAMES, Replies, ReplySpec, readContentType, readStatus } from "../config/replies";

export class FetchedRule {
  constructor(public method: string, public pattern: string, public metric: string | null, public delta: i64, public last: bool) {}
}

export class FetchedConfig {
  constructor(public token: string | null, public rules: Array<FetchedRule>, public replies: Replies) {}
}

export class DocumentResult {
  constructor(public document: FetchedConfig | null, public error: string) {}
}

export function parseDocument(text: string): DocumentResult {
  const parsed = parseJson(text);
  const root = parsed.value;
  if (!root) return new DocumentResult(null, parsed.error);
  if (!root.isObject) return new DocumentResult(null, "expected a JSON object");
  const r = new ConfigReader();
  const content = member(member(root, "", "proxy_config", r), "proxy_config", "content", r);
  const document = content ? readContent(content, "proxy_config.content", r) : null;
  return new DocumentResult(r.failed ? null : document, r.error);
}

/** a required object member, or null (error recorded) */
function member(obj: JsonValue | null, path: string, name: string, r: ConfigReader): JsonValue | null {
  if (!obj || !r.object(obj, path)) return null;
  const v = r.required(obj, path, name);
  return v ? r.object(v, fieldPath(path, name)) : null;
}

function readContent(content: JsonValue, path: string, r: ConfigReader): FetchedConfig | null {
  const typeValue = r.nullable(content, "backend_authentication_type");
  const type = typeValue ? r.str(typeValue, fieldPath(path, "backend_authentication_type")) : "";
  let token: string | null = null;
  // other types (provider_key) are ignored, as in the reference
  if (type == "service_token") {
    const value = r.required(content, path, "backend_authentication_value");
    if (value) token = r.str(value, fieldPath(path, "backend_authentication_value"));
  }
  const proxyPath = fieldPath(path, "proxy");
  const proxy = member(content, path, "proxy", r);
  const rulesValue = proxy ? r.required(proxy, proxyPath, "proxy_rules") : null;
  if (!rulesValue || r.failed) return null;
  const rules = r.listOf<FetchedRule>(rulesValue, fieldPath(proxyPath, "proxy_rules"), readRule);
  const replies = proxy ? readReplies(proxy, proxyPath, r) : Replies.unset();
  return r.failed ? null : new FetchedConfig(token, rules, replies);
}

/** `error_status_<name>`, `error_headers_<name>` (a content type) and `error_<name>`, each optional */
function readReplies(proxy: JsonValue, path: string, r: ConfigReader): Replies {
  const replies = Replies.unset();
  for (let i = 0; i < REPLY_NAMES.length; i++) {
    const name = REPLY_NAMES[i];
    const body = r.nullable(proxy, "error_" + name);
    replies.specs[i] = new ReplySpec(
      readStatus(r.nullable(proxy, "error_status_" + name), fieldPath(path, "error_status_" + name), r),
      readContentType(r.nullable(proxy, "error_headers_" + name), fieldPath(path, "error_headers_" + name), r),
      body ? r.str(body, fieldPath(path, "error_" + name)) : null,
    );
  }
  return replies;
}

function readRule(v: JsonValue, path: string, r: ConfigReader): FetchedRule | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  const method = r.required(obj, path, "http_method");
  const pattern = r.required(obj, path, "pattern");
  const delta = r.required(obj, path, "delta");
  if (!method || !pattern || !delta) return null;
  const metricValue = r.nullable(obj, "metric_system_name");
  const lastValue = r.nullable(obj, "last");
  const rule = new FetchedRule(
    r.str(method, fieldPath(path, "http_method")),
    r.str(pattern, fieldPath(path, "pattern")),
    metricValue ? r.str(metricValue, fieldPath(path, "metric_system_name")) : null,
    r.signed(delta, fieldPath(path, "delta"), 0),
    lastValue ? r.bool(lastValue, fieldPath(path, "last")) : false,
  );
  return r.failed ? null : rule;
}

/** the document with only the fields above; parseDocument reads it back unchanged */
export function serializeDocument(d: FetchedConfig): string {
  const out = new StringBuilder().add("{\"proxy_config\":{\"content\":{");
  const token = d.token;
  if (token != null) addJsonString(out.add("\"backend_authentication_type\":\"service_token\",\"backend_authentication_value\":"), token).addCode(0x2c);
  addReplies(out.add("\"proxy\":{"), d.replies).add("\"proxy_rules\":[");
  for (let i = 0; i < d.rules.length; i++) {
    const rule = d.rules[i];
    const metric = rule.metric;
    if (i > 0) out.addCode(0x2c);
    addJsonString(out.add("{\"http_method\":"), rule.method);
    addJsonString(out.add(",\"pattern\":"), rule.pattern);
    if (metric != null) addJsonString(out.add(",\"metric_system_name\":"), metric);
    out.add(",\"delta\":").addInt(rule.delta).add(",\"last\":").add(rule.last ? "true" : "false").addCode(0x7d);
  }
  return out.add("]}}}}").toString();
}

function addReplies(out: StringBuilder, replies: Replies): StringBuilder {
  for (let i = 0; i < REPLY_NAMES.length; i++) {
    const name = REPLY_NAMES[i];
    const spec = replies.specs[i];
    const type = spec.contentType;
    const body = spec.body;
    if (spec.status != 0) out.add("\"error_status_").add(name).add("\":").addInt(spec.status).addCode(0x2c);
    if (type != null) addJsonString(out.add("\"error_headers_").add(name).add("\":"), type).addCode(0x2c);
    if (body != null) addJsonString(out.add("\"error_").add(name).add("\":"), body).addCode(0x2c);
  }
  return out;
}
