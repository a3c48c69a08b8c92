// The `credentials` object and its lookup sources (docs/configuration.md §8, §8.2).
import { JsonKind, JsonValue } from "../json/value";
import { parseOps } from "../ops/parse";
import { Op } from "../ops/types";
import { Credentials, LookupSource, SourceKind } from "./types";
import { ConfigReader, fieldPath, indexPath } from "../json/reader";
import { hasAsciiUpper } from "../text/ascii";

const CREDENTIAL_FIELDS: Array<string> = ["user_key", "app_id", "app_key"];
const SOURCE_TYPES: Array<string> = ["header", "query_string", "filter"];

export function parseCredentials(v: JsonValue, path: string, r: ConfigReader): Credentials | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  r.onlyFields(obj, path, CREDENTIAL_FIELDS);
  if (r.failed) return null;
  const userKey = sourceList(obj, path, "user_key", r);
  const appId = sourceList(obj, path, "app_id", r);
  const appKey = sourceList(obj, path, "app_key", r);
  if (r.failed) return null;
  if (!userKey && !appId) {
    r.fail(path, "you must provide at least one of user_key or app_id");
    return null;
  }
  return new Credentials(userKey, appId, appKey);
}

/** a present field must be a list (null is rejected); absent means "not configured" */
function sourceList(obj: JsonValue, path: string, name: string, r: ConfigReader): Array<LookupSource> | null {
  const v = obj.get(name);
  if (!v) return null;
  const sources = r.listOf<LookupSource>(v, fieldPath(path, name), parseSource);
  return r.failed ? null : sources;
}

function parseSource(v: JsonValue, path: string, r: ConfigReader): LookupSource | null {
  const obj = r.object(v, path);
  if (!obj) return null;
  if (obj.length != 1) {
    r.fail(path, "expected a map with a single key (header, query_string or filter), found " + obj.length.toString() + " keys");
    return null;
  }
  const type = obj.keyAt(0);
  const kindIndex = SOURCE_TYPES.indexOf(type);
  if (kindIndex < 0) {
    r.fail(path, "unknown variant `" + type + "`, expected one of header, query_string, filter");
    return null;
  }
  const kind = <SourceKind>kindIndex;
  const body = obj.at(0);
  const p = fieldPath(path, type);
  if (body.kind == JsonKind.Array) return positionalSource(kind, body, p, r);
  const fields = r.object(body, p);
  if (!fields) return null;
  let keys: Array<string>;
  let sourcePath = new Array<string>();
  if (kind == SourceKind.Filter) {
    const k = r.defaulted(fields, p, "keys");
    keys = k ? r.strList(k, fieldPath(p, "keys")) : new Array<string>();
    const sp = r.defaulted(fields, p, "path");
    if (sp) sourcePath = r.strList(sp, fieldPath(p, "path"));
  } else {
    const k = r.required(fields, p, "keys");
    keys = k ? r.strList(k, fieldPath(p, "keys")) : new Array<string>();
  }
  const opsValue = r.nullable(fields, "ops");
  const ops = opsValue ? parseOps(opsValue, fieldPath(p, "ops"), r) : new Array<Op>();
  if (r.failed) return null;
  warnUpperCaseHeaderKeys(kind, keys, p, r);
  return new LookupSource(kind, keys, sourcePath, ops);
}

/** reference-compatible array form: [keys, ops] or, for filter, [path, keys, ops] */
function positionalSource(kind: SourceKind, body: JsonValue, path: string, r: ConfigReader): LookupSource | null {
  const expected = kind == SourceKind.Filter ? 3 : 2;
  if (body.length != expected) {
    r.fail(path, "expected " + (kind == SourceKind.Filter ? "[path, keys, ops]" : "[keys, ops]") + " in the positional form, found " + body.length.toString() + " elements");
    return null;
  }
  let i = 0;
  const sourcePath = kind == SourceKind.Filter ? r.strList(body.at(i++), indexPath(path, 0)) : new Array<string>();
  const keys = r.strList(body.at(i), indexPath(path, i));
  i++;
  const opsValue = body.at(i);
  const ops = opsValue.isNull ? new Array<Op>() : parseOps(opsValue, indexPath(path, i), r);
  if (r.failed) return null;
  warnUpperCaseHeaderKeys(kind, keys, path, r);
  return new LookupSource(kind, keys, sourcePath, ops);
}

/** header names arrive lower-cased from Envoy, so such a key can never match */
function warnUpperCaseHeaderKeys(kind: SourceKind, keys: Array<string>, path: string, r: ConfigReader): void {
  if (kind != SourceKind.Header) return;
  for (let i = 0; i < keys.length; i++) {
    if (hasAsciiUpper(keys[i])) {
      r.warn(indexPath(fieldPath(path, "keys"), i), "header key `" + keys[i] + "` has upper-case letters and will never match (Envoy delivers header names in lower case)");
    }
  }
}
