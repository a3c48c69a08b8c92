// `backend.limits`: the largest authrep call the filter sends. A larger one is denied locally
// (pipeline/flow.ts) and never sent: Apisonator's HTTP server (puma) refuses a query above
// 10,240 bytes, and on a reused connection does not answer at all, so without a cap a client
// could turn its own request into a backend timeout — and, under `failure_policy` `open`, into
// a request let through.
import { JsonValue } from "../json/value";
import { ConfigReader, fieldPath } from "../json/reader";

const FIELDS: Array<string> = ["max_credential_bytes", "max_query_bytes"];
/**
 * the largest cap accepted: above Apisonator's 10,240 (puma's PUMA_QUERY_STRING_MAX_LENGTH, set
 * when puma is compiled) only for a backend built to accept more
 */
const MAX_CAP_BYTES: u64 = 1024 * 1024;

export class BackendLimits {
  constructor(
    /** each credential (user_key, app_id, app_key), percent-encoded as sent */
    public maxCredentialBytes: i32,
    /** the authrep query, everything after `?` */
    public maxQueryBytes: i32,
  ) {}

  /**
   * 3scale generates 32-character keys; custom keys and OIDC client ids are at most a few hundred
   * characters, which fit percent-encoded (3 bytes per reserved character) in 1 KiB. The query
   * holds both credentials at that cap plus the service id, token and usages with 2 KiB to spare
   * below Apisonator's 10,240.
   */
  static defaults(): BackendLimits {
    return new BackendLimits(1024, 8192);
  }
}

export function parseBackendLimits(v: JsonValue, path: string, r: ConfigReader): BackendLimits | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  r.onlyFields(obj, path, FIELDS);
  const d = BackendLimits.defaults();
  const credential = bytes(obj, path, "max_credential_bytes", d.maxCredentialBytes, r);
  const query = bytes(obj, path, "max_query_bytes", d.maxQueryBytes, r);
  if (r.failed) return null;
  return new BackendLimits(credential, query);
}

function bytes(obj: JsonValue, path: string, name: string, fallback: i32, r: ConfigReader): i32 {
  const v = r.defaulted(obj, path, name);
  return v ? <i32>r.unsigned(v, fieldPath(path, name), MAX_CAP_BYTES, 1) : fallback;
}
