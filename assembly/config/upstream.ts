// `upstream` objects (docs/configuration.md §3) and the `system` / `backend` objects that hold them.
import { JsonValue } from "../json/value";
import { parseUpstreamUrl } from "../url/upstream";
import { BackendConfig, SystemConfig, Upstream } from "./types";
import { ConfigReader, fieldPath } from "../json/reader";
import { parseCache } from "./cache";
import { BackendLimits, parseBackendLimits } from "./backend_limits";

const UPSTREAM_FIELDS: Array<string> = ["name", "url", "timeout"];
const DEFAULT_TIMEOUT_MS: u64 = 1000;
const DEFAULT_TTL_SECONDS: u64 = 300;

export function parseUpstream(v: JsonValue, path: string, r: ConfigReader): Upstream | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  r.onlyFields(obj, path, UPSTREAM_FIELDS);
  const name = r.required(obj, path, "name");
  const url = r.required(obj, path, "url");
  if (!name || !url || r.failed) return null;
  const nameText = r.str(name, fieldPath(path, "name"));
  const urlText = r.str(url, fieldPath(path, "url"));
  const timeout = r.defaulted(obj, path, "timeout");
  const timeoutMs = timeout ? r.unsigned(timeout, fieldPath(path, "timeout")) : DEFAULT_TIMEOUT_MS;
  if (r.failed) return null;
  const parsed = parseUpstreamUrl(urlText);
  const u = parsed.url;
  if (!u) {
    r.fail(fieldPath(path, "url"), parsed.error);
    return null;
  }
  return new Upstream(nameText, u, timeoutMs);
}

function optionalName(obj: JsonValue, path: string, r: ConfigReader): string | null {
  const v = r.nullable(obj, "name");
  return v ? r.str(v, fieldPath(path, "name")) : null;
}

export function parseSystem(v: JsonValue, path: string, r: ConfigReader): SystemConfig | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  const name = optionalName(obj, path, r);
  const upstreamValue = r.required(obj, path, "upstream");
  const tokenValue = r.required(obj, path, "token");
  if (!upstreamValue || !tokenValue || r.failed) return null;
  const upstream = parseUpstream(upstreamValue, fieldPath(path, "upstream"), r);
  const token = r.str(tokenValue, fieldPath(path, "token"));
  const ttlValue = r.nullable(obj, "ttl");
  const ttl = ttlValue ? r.unsigned(ttlValue, fieldPath(path, "ttl")) : DEFAULT_TTL_SECONDS;
  if (!upstream || r.failed) return null;
  return new SystemConfig(name, upstream, token, ttl);
}

export function parseBackend(v: JsonValue, path: string, r: ConfigReader): BackendConfig | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  const name = optionalName(obj, path, r);
  const upstreamValue = r.required(obj, path, "upstream");
  if (!upstreamValue || r.failed) return null;
  const upstream = parseUpstream(upstreamValue, fieldPath(path, "upstream"), r);
  const ext = r.nullable(obj, "extensions");
  const extensions = ext ? r.strList(ext, fieldPath(path, "extensions")) : new Array<string>();
  const cacheValue = r.nullable(obj, "cache");
  const cache = cacheValue ? parseCache(cacheValue, fieldPath(path, "cache"), r) : null;
  const limitsValue = r.nullable(obj, "limits");
  const limits = limitsValue ? parseBackendLimits(limitsValue, fieldPath(path, "limits"), r) : BackendLimits.defaults();
  const traceValue = r.nullable(obj, "propagate_trace_context");
  const propagate = traceValue ? r.bool(traceValue, fieldPath(path, "propagate_trace_context")) : true;
  if (!upstream || !limits || r.failed) return null;
  return new BackendConfig(name, upstream, extensions, cache, limits, propagate);
}
