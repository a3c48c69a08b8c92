// `backend.cache` (opt-in): the authorization cache and batched reporting (docs/decision.md
// §6). Absent or null: no cache, one synchronous authrep per request, as the reference.
import { JsonValue } from "../json/value";
import { ConfigReader, fieldPath } from "../json/reader";

const FIELDS: Array<string> = ["authorization_ttl", "report_interval", "max_entries", "report_retries"];

export class CacheConfig {
  constructor(
    /** how long an authorization (or a denial) is reused */
    public authorizationTtlMs: u64,
    /** how often accumulated usage is reported */
    public reportIntervalMs: u64,
    /** slots of the authorization table and of the usage table, each (the memory bound) */
    public maxEntries: u32,
    /** failed report deliveries retried this many times before the usage is dropped */
    public reportRetries: u32,
  ) {}
}

export function parseCache(v: JsonValue, path: string, r: ConfigReader): CacheConfig | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  r.onlyFields(obj, path, FIELDS);
  const ttl = seconds(obj, path, "authorization_ttl", 10, 86400, r);
  const interval = seconds(obj, path, "report_interval", 10, 3600, r);
  const entries = integer(obj, path, "max_entries", 10000, 16, 1000000, r);
  const retries = integer(obj, path, "report_retries", 60, 0, 100000, r);
  if (r.failed) return null;
  return new CacheConfig(ttl * 1000, interval * 1000, <u32>entries, <u32>retries);
}

function seconds(obj: JsonValue, path: string, name: string, fallback: u64, max: u64, r: ConfigReader): u64 {
  return integer(obj, path, name, fallback, 1, max, r);
}

function integer(obj: JsonValue, path: string, name: string, fallback: u64, min: u64, max: u64, r: ConfigReader): u64 {
  const v = r.defaulted(obj, path, name);
  return v ? r.unsigned(v, fieldPath(path, name), max, min) : fallback;
}
