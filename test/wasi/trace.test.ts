// decide's trace as the WASI harness returns it ("trace": true): the service choice, each lookup
// source's stack after every operation and the one that failed, the credentials, the matched
// rules and usages, each present only once decide reached that step; and the proxy-wasm module,
// which never asks for one, carries none of the recording code.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureHarness, HARNESS_WASM, type HarnessDocument, type HarnessResult, type HarnessTrace } from "../../tools/wasi/harness";
import { runUnderNode } from "../../tools/wasi/run";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { WASM } from "../support/module";
import { authrepParams, requestHeaders } from "./vectors";

type Pair = [string, string];

const svc = (id: string, authorities: string[], o: Parameters<typeof service>[0] = {}) => service({ id, authorities, ...o });
const sources = (...s: object[]) => s;
const header = (key: string, ops?: unknown[]) => ({ header: { keys: [key], ...(ops && { ops }) } });
const rules = [
  { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
  { method: "POST", pattern: "/", usages: [{ name: "writes", delta: 1 }] },
  { method: "GET", pattern: "/products/", usages: [{ name: "hits", delta: 2 }, { name: "products", delta: 1 }], last: true },
  { method: "GET", pattern: "/products/7", usages: [{ name: "never", delta: 1 }] },
];

/** named documents, run as one batch: [document, what its result must show] */
const cases: [string, HarnessDocument, (r: HarnessResult, trace: HarnessTrace) => void][] = [];
const traced = (name: string, cfg: unknown, headers: Pair[], check: (r: HarnessResult, trace: HarnessTrace) => void, metadata?: Record<string, unknown>) =>
  cases.push([name, { config: cfg, request: { headers, ...(metadata && { metadata }) }, trace: true }, check]);

traced("the first service with a matching authority pattern, the authority normalised",
  config([svc("1", ["a.test"]), svc("2", ["b.test", "*.c.test"]), svc("3", ["*"])]),
  [[":authority", "X.C.test:443"], [":path", "/?user_key=k"], [":method", "GET"]],
  (r, t) => {
    expect(t.authority).toBe("x.c.test");
    expect(t.service).toEqual({ index: 1, id: "2", pattern: 1 });
    expect(r.decision?.outcome).toBe("authrep");
  });

traced("no service matches: service null and nothing after it",
  config([svc("1", ["a.test"])]),
  requestHeaders("/?user_key=k"),
  (r, t) => {
    expect(t).toEqual({ authority: "example.com", service: null });
    expect(r.decision?.details).toBe("authrep_unknown_service");
  });

traced("decided before a service is chosen: an empty trace",
  config(),
  [[":path", "/"], [":method", "GET"]],
  (r, t) => {
    expect(t).toEqual({});
    expect(r.decision?.details).toBe("authrep_missing_pseudo_header");
  });

traced("each source's stack after every operation, the failing one named, copies of stacks modified in place",
  config([svc("1", ["*"], {
    credentials: { user_key: sources(
      header("x-none"),
      header("authorization", [{ split: { separator: " " } }, { length: { min: 3 } }]),
      header("authorization", [{ split: { separator: " " } }, "reverse", { take: { head: 1 } }]),
      header("authorization"),
    ) },
  })]),
  requestHeaders("/", [["authorization", "Bearer tok-1"]]),
  (_, t) => {
    expect(t.lookups).toEqual([
      { kind: "user_key", source: 0, found: false, stacks: [], failed_op: null },
      { kind: "user_key", source: 1, found: true, stacks: [["Bearer tok-1"], ["Bearer", "tok-1"]], failed_op: 1 },
      { kind: "user_key", source: 2, found: true, stacks: [["Bearer tok-1"], ["Bearer", "tok-1"], ["tok-1", "Bearer"], ["tok-1"]], failed_op: null },
    ]);
    expect(t.credentials).toEqual({ user_key: "tok-1" });
  });

traced("app id then app key sources; user_key tried first, found nothing",
  config([svc("1", ["*"])]),
  requestHeaders("/", [["x-app-id", "id-1"], ["x-app-key", "key-1"]]),
  (r, t) => {
    expect(t.lookups?.map((l) => [l.kind, l.source, l.found])).toEqual([
      ["user_key", 0, false], ["user_key", 1, false], ["app_id", 0, true], ["app_key", 0, true],
    ]);
    expect(t.credentials).toEqual({ app_id: "id-1", app_key: "key-1" });
    expect(authrepParams(r)).toMatchObject({ app_id: "id-1", app_key: "key-1" });
  });

traced("an app id source giving two values: the app key sources are not tried",
  config([svc("1", ["*"], { credentials: { app_id: [header("authorization", [{ split: { separator: ":" } }])], app_key: [header("x-app-key")] } })]),
  requestHeaders("/", [["authorization", "id-2:key-2"], ["x-app-key", "other"]]),
  (_, t) => {
    expect(t.lookups?.map((l) => l.kind)).toEqual(["app_id"]);
    expect(t.credentials).toEqual({ app_id: "id-2", app_key: "key-2" });
  });

traced("a filter source without operations resolving to no value, then the app id",
  config([svc("1", ["*"], { credentials: { user_key: [{ filter: { path: ["jwt", "0"], keys: ["keys"] } }], app_id: [header("x-app-id")] } })]),
  requestHeaders("/", [["x-app-id", "id-3"]]),
  (_, t) => {
    expect(t.lookups).toEqual([
      { kind: "user_key", source: 0, found: true, stacks: [[]], failed_op: null },
      { kind: "app_id", source: 0, found: true, stacks: [["id-3"]], failed_op: null },
    ]);
    expect(t.credentials).toEqual({ app_id: "id-3", app_key: null });
  },
  { jwt: { claims: { keys: [] } } });

traced("no credentials: credentials null, the rules not reached",
  config([svc("1", ["*"])]),
  requestHeaders("/"),
  (r, t) => {
    expect(t.credentials).toBeNull();
    expect(t).not.toHaveProperty("rules");
    expect(t).not.toHaveProperty("usages");
    expect(r.decision?.details).toBe("authrep_credentials_missing");
  });

traced("matched rules in order up to the first `last`, usages summed",
  config([svc("1", ["*"], { mapping_rules: rules })]),
  requestHeaders("/products/7?user_key=k"),
  (r, t) => {
    expect(t.rules).toEqual([0, 2]);
    expect(t.usages).toEqual([["hits", 3], ["products", 1]]);
    expect(authrepParams(r)).toMatchObject({ "usage[hits]": "3", "usage[products]": "1" });
  });

traced("no rule matches: empty rules and usages, the 404 reply",
  config([svc("1", ["*"], { mapping_rules: rules })]),
  requestHeaders("/?user_key=k", [], "DELETE"),
  (r, t) => {
    expect([t.rules, t.usages]).toEqual([[], []]);
    expect(r.decision?.status).toBe(404);
  });

// a 60000-character value copied: stacks of 1, 2, 40 and 40 copies; the last passes the cap of
// 2^22 recorded characters (the operations' own caps allow it: copies cost one unit each)
const copies = (n: number) => ({ indexes: Array(n).fill(0) });
traced("stacks past the recording cap are left out, the decision unchanged",
  // a 60,000-character key: the call caps raised so that the decision is an authrep
  config([svc("1", ["*"], { credentials: { user_key: [header("x-key", [copies(2), copies(40), copies(40)])] } })], {
    backend: { name: "backend", upstream: { name: BACKEND_CLUSTER, url: "https://su1.3scale.net/", timeout: 5000 }, limits: { max_credential_bytes: 65_536, max_query_bytes: 65_536 } },
  }),
  requestHeaders("/", [["x-key", "k".repeat(60_000)]]),
  (r, t) => {
    const [lookup] = t.lookups!;
    expect(lookup).toMatchObject({ found: true, failed_op: null, truncated: true });
    expect(lookup.stacks.map((s) => s.length)).toEqual([1, 2, 40]);
    expect(authrepParams(r).user_key).toBe("k".repeat(60_000));
  });

beforeAll(ensureHarness);

describe("the harness's decision trace", () => {
  let results: HarnessResult[];
  beforeAll(async () => {
    const run = await runUnderNode(JSON.stringify(cases.map(([, doc]) => doc)));
    results = JSON.parse(run.stdout);
    expect(results.filter((r) => !r.configured)).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  it.each(cases.map(([name], i) => [name, i] as const))("%s", (_, i) => {
    const result = results[i];
    expect(result.trace).toBeDefined();
    cases[i][2](result, result.trace!);
  });

  it("is absent unless asked for, and asking changes nothing else", async () => {
    const plain = await runUnderNode(JSON.stringify(cases.map(([, doc]) => ({ ...doc, trace: false }))));
    const untraced: HarnessResult[] = JSON.parse(plain.stdout);
    untraced.forEach((r, i) => {
      expect(r).not.toHaveProperty("trace");
      const { trace: _, ...rest } = results[i];
      expect(r).toEqual(rest);
    });
  });

  it("a trace member other than a boolean is malformed input", async () => {
    const run = await runUnderNode(JSON.stringify({ config: config(), request: { headers: requestHeaders("/") }, trace: "yes" }));
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ malformed: "trace: expected true or false" });
  });
});

it("the proxy-wasm module carries none of the recording code (its JSON member names), the harness does", () => {
  const utf16 = (s: string) => Buffer.from(s, "utf16le");
  const [module, harness] = [readFileSync(WASM), readFileSync(HARNESS_WASM)];
  for (const name of [",\"failed_op\":", ",\"lookups\":["]) {
    expect(harness.includes(utf16(name)), name).toBe(true);
    expect(module.includes(utf16(name)), name).toBe(false);
  }
});
