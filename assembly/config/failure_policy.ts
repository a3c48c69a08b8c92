// `failure_policy` (top level, overridable per service): what a request gets when the backend
// cannot answer — no answer, a 5xx (Envoy's own 503/504 included) or a status that is neither
// 2xx nor 4xx. Default: fail closed with the reference's replies.
import { JsonValue } from "../json/value";
import { ConfigReader, fieldPath } from "../json/reader";

const FIELDS: Array<string> = ["mode", "stale_seconds"];
const MODES: Array<string> = ["closed", "open"];

export class FailurePolicy {
  constructor(
    /** let the request through (usage reported later when the cache is on) */
    public open: bool,
    /** reuse a cached authorization up to this long after it expired (needs `backend.cache`) */
    public staleMs: u64,
  ) {}

  static closed(): FailurePolicy {
    return new FailurePolicy(false, 0);
  }
}

export function parseFailurePolicy(v: JsonValue, path: string, r: ConfigReader): FailurePolicy | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  r.onlyFields(obj, path, FIELDS);
  const modeValue = r.defaulted(obj, path, "mode");
  const mode = modeValue ? r.choice(modeValue, fieldPath(path, "mode"), MODES) : "closed";
  const staleValue = r.defaulted(obj, path, "stale_seconds");
  const stale = staleValue ? r.unsigned(staleValue, fieldPath(path, "stale_seconds"), 86400) : 0;
  if (r.failed) return null;
  return new FailurePolicy(mode == "open", stale * 1000);
}
