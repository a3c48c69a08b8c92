// Configurations on which the schema and the module must agree: a valid base using every field
// and form, its systematic per-node mutations, and every operation in every shape and position.
import { OPS } from "./op-table";

export interface Case {
  name: string;
  config: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** a configuration whose only interesting part is one header source's `ops` */
export function withOps(ops: unknown): Record<string, unknown> {
  return {
    api: "v1",
    services: [{ id: "1", authorities: ["*"], credentials: { user_key: [{ header: { keys: ["k"], ops } }] } }],
  };
}

/** every accepted parameter of every operation, object and positional forms */
const SAMPLE_OPS: Json[] = Object.entries(OPS)
  .flatMap(([name, { good }]) => good.map((p) => ({ [name]: p as Json })));

export const BASE: Json = {
  api: "v1",
  system: { name: "system", upstream: { name: "s", url: "https://admin.example.com/", timeout: 5000 }, token: "t", ttl: 300 },
  backend: { name: "b", upstream: { name: "outbound|443||su1.3scale.net", url: "https://su1.3scale.net/", timeout: 0 }, extensions: ["no_body"], cache: { authorization_ttl: 10, report_interval: 10, max_entries: 10000, report_retries: 60 }, limits: { max_credential_bytes: 1024, max_query_bytes: 8192 }, propagate_trace_context: true },
  services: [{
    id: "1",
    token: "st",
    environment: "staging",
    authorities: ["*", "api\\.example.com:+", "a?b"],
    credentials: {
      user_key: [{ query_string: { keys: ["user_key"] } }, { header: [["k"], null] }],
      app_id: [
        { header: { keys: ["authorization"], ops: ["reverse", ...SAMPLE_OPS] } },
        { filter: { path: ["envoy.filters.http.jwt_authn", "0"], keys: ["azp"], ops: [{ take: { head: 1 } }] } },
        { filter: [["a", "b"], ["c"], []] },
      ],
      app_key: [{ query_string: { keys: ["app_key"], ops: null } }],
    },
    mapping_rules: [{ method: "GET", pattern: "/{id}?x={y}", usages: [{ name: "hits", delta: -1 }], last: true }],
    replies: {
      auth_missing: { status: 401, content_type: "text/plain; charset=utf-8", body: "Authentication parameters missing" },
      auth_failed: { body: "" },
      no_match: null,
      limits_exceeded: { status: 429, content_type: null },
    },
    rate_limit_headers: true,
    failure_policy: { mode: "closed", stale_seconds: 0 },
  }],
  passthrough_metadata: false,
  failure_policy: { mode: "open", stale_seconds: 30 },
};

// Replacement values of another JSON type than the node's, plus integer boundaries. Strings are
// never replaced by other strings: url and mapping-rule pattern validity are not expressible.
const PROBES: Json[] = [null, true, "s", 0, -1, 1.5, 4294967296, 2147483648, -2147483649, [], ["s"], [1], {}];
const kind = (v: Json) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function* nodes(v: Json, path: (string | number)[] = []): Generator<[(string | number)[], Json]> {
  yield [path, v];
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* nodes(v[i], [...path, i]);
  else if (v !== null && typeof v === "object") for (const [k, c] of Object.entries(v)) yield* nodes(c, [...path, k]);
}

/** a copy of `root` with the node at `path` transformed (`undefined` deletes an object key) */
function edit(root: Json, path: (string | number)[], f: (v: Json) => Json | undefined): Json {
  if (path.length === 0) return f(root) as Json;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path[path.length - 1];
  const next = f(parent[last]);
  if (next === undefined) delete parent[last];
  else parent[last] = next;
  return copy;
}

const label = (path: (string | number)[]) => path.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("") || "(root)";

/** retyped values, deleted fields, unknown fields, and grown / shrunk lists, at every node of BASE */
export function mutations(base: Json = BASE): Record<string, Case[]> {
  const groups: Record<string, Case[]> = { retyped: [], "field removed": [], "unknown field added": [], "list grown or shrunk": [] };
  for (const [path, v] of nodes(base)) {
    const at = label(path);
    for (const p of PROBES) {
      if (kind(p) !== kind(v) || (typeof v === "number" && p !== v)) groups.retyped.push({ name: `${at} = ${JSON.stringify(p)}`, config: edit(base, path, () => p) });
    }
    if (typeof path[path.length - 1] === "string") groups["field removed"].push({ name: `${at} removed`, config: edit(base, path, () => undefined) });
    if (kind(v) === "object") groups["unknown field added"].push({ name: `${at}.zz_unknown`, config: edit(base, path, (o) => ({ ...(o as object), zz_unknown: 1 })) });
    if (Array.isArray(v) && v.length > 0) {
      groups["list grown or shrunk"].push({ name: `${at} + last again`, config: edit(base, path, (a) => [...(a as Json[]), v[v.length - 1]]) });
      groups["list grown or shrunk"].push({ name: `${at} - last`, config: edit(base, path, (a) => (a as Json[]).slice(0, -1)) });
    }
  }
  return groups;
}

/** the shapes every operation is tried with, whatever its parameter kind */
const SHAPES: unknown[] = [null, {}, [], "x", 1, true, ["x"], [{}], [null, null]];

/** operation `name` bare, with generic and specific parameters, at top level and nested in and/test */
export function opCases(name: string): Case[] {
  const { good, bad } = OPS[name];
  const ops: [string, unknown][] = [
    [JSON.stringify(name), name],
    ...[...SHAPES, ...good, ...bad].map((p): [string, unknown] => [JSON.stringify({ [name]: p }), { [name]: p }]),
  ];
  return ops.flatMap(([text, op]) => [
    { name: text, config: withOps([op]) },
    { name: `and: [${text}]`, config: withOps(["ok", { and: [op] }]) },
    { name: `test.if: ${text}`, config: withOps([{ test: { if: op, then: [] } }]) },
  ]);
}

/** hand-picked cases: enums, sources, credentials rules, globs, replies and unknown operations */
export const TARGETED: Case[] = [
  ...["v1", "v1.0", "v1.0.0", "V1", "v2", "v1.0.0.0", ""].map((api) => ({ name: `api ${api}`, config: { ...withOps([]), api } })),
  ...["Production", "", "sandbox"].map((environment) => ({ name: `environment ${environment}`, config: editService({ environment }) })),
  ...[["*"], [], ["a\\*"], ["a\\d"], ["ab\\"], ["a\\<b"], ["\\é"], ["\\\\"], ["a\\\\\\"], ["\\\u007f"]].map((authorities) => ({ name: `authorities ${JSON.stringify(authorities)}`, config: editService({ authorities }) })),
  ...[
    {}, { app_key: [] }, { user_key: [] }, { app_id: [], app_key: [] }, { user_key: null }, { "user_key ": [] },
    { user_key: [{}] }, { user_key: [{ cookie: { keys: [] } }] }, { user_key: [{ header: { keys: [] }, query_string: { keys: [] } }] },
    { user_key: [{ header: "x" }] }, { user_key: [{ header: null }] }, { user_key: [{ header: {} }] }, { user_key: [{ header: { keys: [], path: ["x"], zz: 1 } }] },
    { user_key: [{ header: [["k"]] }] }, { user_key: [{ header: [["k"], null, null] }] }, { user_key: [{ query_string: [["k"], []] }] },
    { app_id: [{ filter: {} }] }, { app_id: [{ filter: { keys: null } }] }, { app_id: [{ filter: [[], []] }] }, { app_id: [{ filter: [null, [], null] }] },
    { app_id: [{ filter: [[], [], null] }] }, { app_id: "x" },
  ].map((credentials) => ({ name: `credentials ${JSON.stringify(credentials)}`, config: editService({ credentials }) })),
  ...[199, 200, 599, 600, 404.0].map((status) => ({ name: `reply status ${status}`, config: editService({ replies: { no_match: { status } } }) })),
  ...["", "a\tb", "a\nb", "a\u0000", "a\u007f", "é", "a\r"].map((content_type) => ({ name: `reply content type ${JSON.stringify(content_type)}`, config: editService({ replies: { auth_failed: { content_type } } }) })),
  ...[{ Auth_missing: {} }, { auth_missing: {}, zz: null }, { auth_missing: { Status: 401 } }].map((replies) => ({ name: `replies ${JSON.stringify(replies)}`, config: editService({ replies }) })),
  ...[null, false, 1, "true"].map((rate_limit_headers) => ({ name: `rate_limit_headers ${JSON.stringify(rate_limit_headers)}`, config: editService({ rate_limit_headers }) })),
  ...["Reverse", "lowercase", "base64", "split", "pop", { decode: "base64_urlsafe" }, { split: {}, pop: null }, { "": null }].map((op) => ({
    name: `operation ${JSON.stringify(op)}`, config: withOps([op]),
  })),
];

function editService(patch: Record<string, unknown>): Record<string, unknown> {
  const c = withOps([]);
  const [service] = c.services as Record<string, unknown>[];
  return { ...c, services: [{ ...service, ...patch }] };
}

// `backend.cache`, `backend.limits`, `failure_policy` (top level and per service) and the rule that stale_seconds > 0
// needs `backend.cache`. BASE's mutations cover retyping, removal and unknown fields; these add
// the range boundaries and the cross-field rule in every combination.
const BACKEND_UPSTREAM = { name: "b", url: "https://su1.3scale.net/" };

/** a service-only configuration with the given top-level fields and first-service fields */
function configWith(top: Record<string, unknown>, service: Record<string, unknown> = {}): Record<string, unknown> {
  const c = editService(service);
  for (const [k, v] of Object.entries(top)) {
    if (v === undefined) delete c[k];
    else c[k] = v;
  }
  return c;
}

const CACHE_RANGES: Record<string, [number, number]> = {
  authorization_ttl: [1, 86400],
  report_interval: [1, 3600],
  max_entries: [16, 1000000],
  report_retries: [0, 100000],
};

const LIMIT_RANGES: Record<string, [number, number]> = {
  max_credential_bytes: [1, 1048576],
  max_query_bytes: [1, 1048576],
};

/** values around the bounds, and of other types */
function around([min, max]: [number, number]): unknown[] {
  return [min - 1, min, min + 1, max - 1, max, max + 1, -1, 0, 1.5, 4294967296, 18446744073709551615, null, "10", true, [], {}];
}

/** backend forms: [label, value] (undefined: no backend field at all) */
const BACKENDS: [string, unknown][] = [
  ["no backend", undefined],
  ["backend null", null],
  ["backend without cache", { upstream: BACKEND_UPSTREAM }],
  ["cache null", { upstream: BACKEND_UPSTREAM, cache: null }],
  ["cache {}", { upstream: BACKEND_UPSTREAM, cache: {} }],
  ["cache set", { upstream: BACKEND_UPSTREAM, cache: { authorization_ttl: 60, max_entries: 16 } }],
  ["cache []", { upstream: BACKEND_UPSTREAM, cache: [] }],
  ["cache false", { upstream: BACKEND_UPSTREAM, cache: false }],
  ["cache with an invalid field", { upstream: BACKEND_UPSTREAM, cache: { report_interval: 0 } }],
];

/** failure policy forms: [label, value] (undefined: no failure_policy field) */
const POLICIES: [string, unknown][] = [
  ["absent", undefined],
  ["null", null],
  ["{}", {}],
  ["closed", { mode: "closed" }],
  ["stale 0", { stale_seconds: 0 }],
  ["stale 1", { stale_seconds: 1 }],
  ["open stale 86400", { mode: "open", stale_seconds: 86400 }],
  ["stale 86401", { stale_seconds: 86401 }],
  ["stale -1", { stale_seconds: -1 }],
];

export const CACHE_AND_POLICY: Case[] = [
  // every cache field at and around its bounds, alone and with the others set
  ...Object.entries(CACHE_RANGES).flatMap(([field, range]) => around(range).flatMap((value) => [
    { name: `backend.cache.${field} = ${JSON.stringify(value)}`, config: configWith({ backend: { upstream: BACKEND_UPSTREAM, cache: { [field]: value } } }) },
    { name: `backend.cache {all, ${field} = ${JSON.stringify(value)}}`, config: configWith({ backend: { upstream: BACKEND_UPSTREAM, cache: { ...(BASE as { backend: { cache: object } }).backend.cache, [field]: value } } }) },
  ])),
  ...[null, {}, [], "x", 0, true, { zz: 1 }, { authorization_ttl: 10, zz: null }, { Authorization_ttl: 10 }, { authorization_ttl: 10, report_interval: null }, { max_entries: "16" }]
    .map((cache) => ({ name: `backend.cache = ${JSON.stringify(cache)}`, config: configWith({ backend: { upstream: BACKEND_UPSTREAM, cache } }) })),
  // backend.limits: each field at and around its bounds, alone and with the other; its forms; propagate_trace_context
  ...Object.entries(LIMIT_RANGES).flatMap(([field, range]) => around(range).flatMap((value) => [
    { name: `backend.limits.${field} = ${JSON.stringify(value)}`, config: configWith({ backend: { upstream: BACKEND_UPSTREAM, limits: { [field]: value } } }) },
    { name: `backend.limits {both, ${field} = ${JSON.stringify(value)}}`, config: configWith({ backend: { upstream: BACKEND_UPSTREAM, limits: { max_credential_bytes: 1, max_query_bytes: 1048576, [field]: value } } }) },
  ])),
  ...[null, {}, [], "x", 0, true, { zz: 1 }, { max_query_bytes: 100, zz: null }, { Max_query_bytes: 100 }, { max_query_bytes: 100, max_credential_bytes: null }, { max_credential_bytes: "16" }]
    .map((limits) => ({ name: `backend.limits = ${JSON.stringify(limits)}`, config: configWith({ backend: { upstream: BACKEND_UPSTREAM, limits } }) })),
  ...[true, false, null, 0, 1, "true", [], {}]
    .map((propagate) => ({ name: `backend.propagate_trace_context = ${JSON.stringify(propagate)}`, config: configWith({ backend: { upstream: BACKEND_UPSTREAM, propagate_trace_context: propagate } }) })),
  // failure policy fields, top level and per service
  ...(["top", "service"] as const).flatMap((where) => [
    ...[{}, null, [], "open", 0, true,
      ...["closed", "open", "Open", "CLOSED", "", "fail_open", null, 1, true, ["open"]].map((mode) => ({ mode })),
      ...[0, 1, 86399, 86400, 86401, -1, 1.5, 4294967296, null, "1", false, [], {}].map((stale_seconds) => ({ stale_seconds })),
      { mode: "open", stale_seconds: 5, zz: 1 }, { Mode: "open" }, { stale: 1 }, { mode: "open", stale_seconds: null },
    ].map((policy) => ({
      name: `${where} failure_policy = ${JSON.stringify(policy)} (with cache)`,
      config: where === "top"
        ? configWith({ backend: BACKENDS[5][1], failure_policy: policy })
        : configWith({ backend: BACKENDS[5][1] }, { failure_policy: policy }),
    })),
  ]),
  // stale_seconds > 0 needs backend.cache: every backend form with every policy at top level, in
  // the first service and in a second service
  ...BACKENDS.flatMap(([backendLabel, backend]) => POLICIES.flatMap(([policyLabel, policy]) => {
    const base = { backend, failure_policy: undefined };
    const second = { id: "2", authorities: ["*"], credentials: { user_key: [] }, failure_policy: policy };
    const withSecond = configWith(base);
    withSecond.services = [...(withSecond.services as unknown[]), second];
    return [
      { name: `${backendLabel}, top failure_policy ${policyLabel}`, config: configWith({ ...base, failure_policy: policy }) },
      { name: `${backendLabel}, service failure_policy ${policyLabel}`, config: configWith(base, { failure_policy: policy }) },
      { name: `${backendLabel}, second service failure_policy ${policyLabel}`, config: withSecond },
      { name: `${backendLabel}, top failure_policy ${policyLabel}, service stale 0`, config: configWith({ ...base, failure_policy: policy }, { failure_policy: { stale_seconds: 0 } }) },
      { name: `${backendLabel}, top stale 0, service failure_policy ${policyLabel}`, config: configWith({ ...base, failure_policy: { stale_seconds: 0 } }, { failure_policy: policy }) },
    ];
  })),
  // without services, or with passthrough_metadata (no backend calls at all): the rule still holds
  ...BACKENDS.flatMap(([backendLabel, backend]) => [
    { name: `${backendLabel}, no services, top stale 1`, config: { api: "v1", backend, failure_policy: { stale_seconds: 1 } } },
    { name: `${backendLabel}, services null, top stale 1`, config: { api: "v1", backend, services: null, failure_policy: { stale_seconds: 1 } } },
    { name: `${backendLabel}, services [], top stale 1`, config: { api: "v1", backend, services: [], failure_policy: { stale_seconds: 1 } } },
    { name: `${backendLabel}, passthrough, top stale 1`, config: configWith({ backend, passthrough_metadata: true, failure_policy: { stale_seconds: 1 } }) },
    { name: `${backendLabel}, top stale 1, service policy null`, config: configWith({ backend, failure_policy: { stale_seconds: 1 } }, { failure_policy: null }) },
  ]),
];
