// Credential resolution (docs/configuration.md §8.1, §8.2–§8.3): try each credential's sources in
// order; the first that resolves wins. Evaluations whose result would be discarded are
// skipped (allowed by §8.1: only logging operations could tell the difference).
import { Credentials, LookupSource, SourceKind } from "../config/types";
import { runOps } from "../ops/run";
import { lookupMetadata } from "./metadata";
import { Request } from "./request";
import { DecisionTrace } from "./trace";

export enum CredentialKind { None, UserKey, AppId }

export class ResolvedCredentials {
  constructor(public kind: CredentialKind, public userKey: string, public appId: string, public appKey: string | null) {}
}

/**
 * Untraced, the result is one object reused by every request: `decide` uses it before the next
 * (the authrep call and the pass-through headers copy its values); a trace may keep its own.
 */
const RESOLVED = new ResolvedCredentials(CredentialKind.None, "", "", null);

function resolved(kind: CredentialKind, userKey: string, appId: string, appKey: string | null, trace: DecisionTrace | null): ResolvedCredentials {
  if (trace) return new ResolvedCredentials(kind, userKey, appId, appKey);
  const r = RESOLVED;
  r.kind = kind;
  r.userKey = userKey;
  r.appId = appId;
  r.appKey = appKey;
  return r;
}

export function resolveCredentials(creds: Credentials, request: Request, trace: DecisionTrace | null = null): ResolvedCredentials {
  const userKeySources = creds.userKey;
  if (userKeySources) {
    const values = resolveFirst(userKeySources, request, trace);
    if (values && values.length > 0) return resolved(CredentialKind.UserKey, values[0], "", null, trace);
  }
  const appIdSources = creds.appId;
  if (!appIdSources) return resolved(CredentialKind.None, "", "", null, trace);
  const ids = resolveFirst(appIdSources, request, trace);
  if (!ids || ids.length == 0) return resolved(CredentialKind.None, "", "", null, trace);
  const appId = ids[0]; // read before the next lookup reuses SINGLE
  let appKey: string | null = ids.length > 1 ? ids[1] : null;
  const appKeySources = creds.appKey;
  if (appKey == null && appKeySources) {
    const keys = resolveFirst(appKeySources, request, trace);
    if (keys && keys.length > 0) appKey = keys[0];
  }
  return resolved(CredentialKind.AppId, "", appId, appKey, trace);
}

/** the value list of the first source that resolves (possibly empty), or null */
function resolveFirst(sources: Array<LookupSource>, request: Request, trace: DecisionTrace | null): Array<string> | null {
  for (let i = 0; i < sources.length; i++) {
    const values = resolveSource(sources[i], request, trace);
    if (values) return values;
  }
  return null;
}

/**
 * the stack of a source without operations, when untraced: one array reused by every lookup, so
 * its value is read before the next (see `resolveCredentials`)
 */
const SINGLE: Array<string> = [""];

function resolveSource(source: LookupSource, request: Request, trace: DecisionTrace | null): Array<string> | null {
  const stack = initialStack(source, request, trace == null && source.ops.length == 0);
  if (trace) trace.lookup(source, stack);
  if (stack == null) return null;
  return source.ops.length == 0 ? stack : runOps(source.ops, stack, trace);
}

function initialStack(source: LookupSource, request: Request, reuse: bool): Array<string> | null {
  if (source.kind == SourceKind.Filter) {
    const metadata = request.filterMetadata();
    return metadata ? lookupMetadata(metadata, source.path, source.keys) : null;
  }
  const found = lookupKey(source, request);
  if (found == null) return null;
  if (!reuse) return [found];
  SINGLE[0] = found;
  return SINGLE;
}

/** the value of the first configured key present in the headers or the query */
function lookupKey(source: LookupSource, request: Request): string | null {
  const keys = source.keys;
  if (source.kind == SourceKind.Header) {
    for (let i = 0; i < keys.length; i++) {
      const v = request.header(keys[i]);
      if (v != null) return v;
    }
    return null;
  }
  for (let i = 0; i < keys.length; i++) {
    const v = request.queryParam(keys[i]);
    if (v != null) return v;
  }
  return null;
}
