// docs/configuration.md: what on_configure accepts, and for what it rejects, the error naming the
// field path. Each case goes through the built module in the Envoy-like host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { WASM } from "../support/module";

let host: ProxyWasmHost;
beforeAll(async () => { host = await ProxyWasmHost.create({ wasm: WASM, clusters: { [BACKEND_CLUSTER]: () => ({ status: 200 }) } }); });
afterAll(async () => { await host.close(); });

async function configure(cfg: unknown): Promise<{ accepted: boolean; error: string; warnings: string[] }> {
  const text = typeof cfg === "string" ? cfg : JSON.stringify(cfg);
  const r = await host.configure(text);
  const errors = r.logs.filter((l) => l.level === "error").map((l) => l.message);
  return { accepted: r.accepted, error: errors.join("\n"), warnings: r.logs.filter((l) => l.level === "warn").map((l) => l.message) };
}

const withService = (patch: Record<string, unknown>) => config([{ ...service(), ...patch }]);
const withCredentials = (credentials: unknown) => withService({ credentials });
const withUpstream = (upstream: unknown) => config(undefined, { backend: { upstream } });
const upstream = { name: "c", url: "https://su1.3scale.net/" };

describe("accepted configurations", () => {
  it.each<[string, unknown]>([
    ["the minimal valid configuration", config()],
    ["api v1.0.0 and fields in any order", { services: [service()], backend: { upstream }, api: "v1.0.0" }],
    ["api v1.0", { ...config(), api: "v1.0" }],
    ["unknown top-level, service, rule and usage fields", { ...withService({ extra: 1, mapping_rules: [{ method: "get", pattern: "/", usages: [{ name: "h", delta: 1, x: 1 }], y: 2 }] }), zzz: true }],
    ["nullable fields set to null", { ...config(), system: null, passthrough_metadata: null }],
    ["timeout 0", withUpstream({ ...upstream, timeout: 0 })],
    ["timeout u64 max (JSON text: JavaScript numbers cannot hold it)", '{"api":"v1","backend":{"upstream":{"name":"c","url":"https://x/","timeout":18446744073709551615}}}'],
    ["an empty services list", config([])],
    ["no backend", { api: "v1", services: [service()] }],
    ["an empty authorities list", withService({ authorities: [] })],
    ["empty credential lists", withCredentials({ user_key: [] })],
    ["app_id alone", withCredentials({ app_id: [{ header: { keys: ["x"] } }] })],
    ["a source body with ignored fields", withCredentials({ user_key: [{ header: { keys: ["k"], path: ["ignored"], ops: null } }] })],
    ["positional source bodies", withCredentials({ user_key: [{ header: [["k"], null] }, { filter: [["a", "b"], ["c"], []] }] })],
    ["a filter source without path or keys", withCredentials({ app_id: [{ filter: {} }] })],
    ["escaped strings in method and pattern", withService({ mapping_rules: [{ method: "G\u0045T", pattern: "\/a\\\\.b", usages: [] }] })],
    ["zero and negative deltas", JSON.stringify(withService({ mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "a", delta: 0 }, { name: "b", delta: -1 }] }] })).replace('"delta":-1', '"delta":-9223372036854775808')],
    ["unknown environment strings", withService({ environment: "Production" })],
    ["system with ttl below 20", { ...config(), system: { upstream, token: "t", ttl: 0 } }],
    ["backend extensions", config(undefined, { backend: { upstream, extensions: ["no_body"] } })],
    ["a 128-deep JSON value in an ignored field", { ...config(), deep: JSON.parse("[".repeat(127) + "]".repeat(127)) }],
  ])("%s", async (_, cfg) => {
    const r = await configure(cfg);
    expect(r.error).toBe("");
    expect(r.accepted).toBe(true);
  });
});

describe("rejected configurations name the offending field", () => {
  it.each<[string, unknown, string]>([
    ["an empty buffer", "", "configuration: the configuration is empty"],
    ["whitespace only", " \n\t ", "configuration: the configuration is empty"],
    ["a JSON syntax error", '{"api": "v1",}', "configuration: JSON syntax error at line 1, column 14"],
    ["nesting deeper than 128", '{"x":' + "[".repeat(200) + "]".repeat(200) + "}", "nesting deeper than 128 levels"],
    ["a top level that is not an object", "[]", "configuration: expected an object, found list"],
    ["a configuration above 8 MiB", JSON.stringify({ ...config(), padding: "x".repeat(8 * 1024 * 1024) }), "configuration: larger than 8388608 bytes"],
    ["missing api", { services: [] }, "configuration: missing field `api`"],
    ["an unknown api", { api: "V1" }, "api: unknown variant `V1`, expected one of v1, v1.0, v1.0.0"],
    ["a non-string api", { api: 1 }, "api: unknown variant number 1"],
    ["a duplicate top-level field", '{"api":"v1","api":"v1"}', "api: duplicate field `api`"],
    ["services that is not a list", { api: "v1", services: {} }, "services: expected a list, found object"],
    ["passthrough_metadata as a string", { ...config(), passthrough_metadata: "true" }, "passthrough_metadata: expected a boolean, found string"],
    ["an unknown upstream field", withUpstream({ ...upstream, port: 1 }), "backend.upstream.port: unknown field `port`, expected one of name, url, timeout"],
    ["an upstream without url", withUpstream({ name: "c" }), "backend.upstream: missing field `url`"],
    ["an upstream written as an array", withUpstream(["c", "https://x/"]), "backend.upstream: expected an object, found list"],
    ["a null timeout", withUpstream({ ...upstream, timeout: null }), "backend.upstream.timeout: null is not allowed"],
    ["a fractional timeout", JSON.stringify(withUpstream({ ...upstream, timeout: 7 })).replace('"timeout":7', '"timeout":2.0'), "backend.upstream.timeout: expected a non-negative integer"],
    ["an exponent timeout", JSON.stringify(withUpstream({ ...upstream, timeout: 7 })).replace('"timeout":7', '"timeout":1e3'), "backend.upstream.timeout: expected a non-negative integer"],
    ["a negative timeout", withUpstream({ ...upstream, timeout: -1 }), "backend.upstream.timeout: expected a non-negative integer"],
    ["an unparsable url", withUpstream({ ...upstream, url: "not a url" }), "backend.upstream.url:"],
    ["a url without authority", withUpstream({ ...upstream, url: "mailto:x@y" }), "backend.upstream.url:"],
    ["a duplicated timeout (reported under its real name)", '{"api":"v1","backend":{"upstream":{"name":"c","url":"https://x/","timeout":1,"timeout":2}}}', "backend.upstream.timeout: duplicate field `timeout`"],
    ["system without token", { ...config(), system: { upstream } }, "system: missing field `token`"],
    ["a service id that is a number", withService({ id: 2555417834789 }), "services[0].id: expected a string, found number 2555417834789"],
    ["a service without authorities", config([{ id: "1", credentials: { user_key: [] } }]), "services[0]: missing field `authorities`"],
    ["authorities as a bare string", withService({ authorities: "*" }), "services[0].authorities: expected a list of strings"],
    ["a non-string authority", withService({ authorities: ["a", 1] }), "services[0].authorities[1]: expected a string"],
    ["a glob with a backslash before a letter", withService({ authorities: ["a\\d"] }), "services[0].authorities[0]:"],
    ["a glob with a dangling backslash", withService({ authorities: ["ab\\"] }), "services[0].authorities[0]:"],
    ["a null environment", withService({ environment: null }), "services[0].environment: null is not allowed"],
    ["null credentials", withService({ credentials: null }), "services[0].credentials: expected an object, found null"],
    ["credentials with neither user_key nor app_id", withCredentials({ app_key: [] }), "services[0].credentials: you must provide at least one of user_key or app_id"],
    ["an unknown credentials field", withCredentials({ "user_key ": [] }), "services[0].credentials.user_key : unknown field `user_key `, expected one of user_key, app_id, app_key"],
    ["a null credential list", withCredentials({ user_key: null }), "services[0].credentials.user_key: expected a list, found null"],
    ["a source with two keys", withCredentials({ user_key: [{ header: { keys: ["a"] }, query_string: { keys: ["a"] } }] }), "services[0].credentials.user_key[0]: expected a map with a single key"],
    ["an unknown source type", withCredentials({ user_key: [{ cookie: { keys: ["a"] } }] }), "services[0].credentials.user_key[0]: unknown variant `cookie`, expected one of header, query_string, filter"],
    ["a bare string source body", withCredentials({ user_key: [{ header: "x" }] }), "services[0].credentials.user_key[0].header: expected an object, found string"],
    ["keys that are not a list of strings", withCredentials({ app_key: [], app_id: [{ query_string: { keys: "k" } }] }), "services[0].credentials.app_id[0].query_string.keys: expected a list of strings"],
    ["a header source without keys", withCredentials({ user_key: [{ header: {} }] }), "services[0].credentials.user_key[0].header: missing field `keys`"],
    ["a null filter path", withCredentials({ app_id: [{ filter: { path: null } }] }), "services[0].credentials.app_id[0].filter.path: null is not allowed"],
    ["a short positional body", withCredentials({ user_key: [{ header: [["k"]] }] }), "services[0].credentials.user_key[0].header: expected [keys, ops]"],
    ["an unknown operation", withCredentials({ user_key: [{ header: { keys: ["k"], ops: ["Reverse"] } }] }), "services[0].credentials.user_key[0].header.ops[0]"],
    ["a malformed nested operation", withCredentials({ user_key: [{ header: { keys: ["k"], ops: ["ok", { and: [{ split: { max: -1 } }] }] } }] }), "services[0].credentials.user_key[0].header.ops[1].and[0].split.max"],
    ["a null mapping_rules", withService({ mapping_rules: null }), "services[0].mapping_rules: null is not allowed"],
    ["a rule without usages", withService({ mapping_rules: [{ method: "GET", pattern: "/" }] }), "services[0].mapping_rules[0]: missing field `usages`"],
    ["a null last", withService({ mapping_rules: [{ method: "GET", pattern: "/", usages: [], last: null }] }), "services[0].mapping_rules[0].last: null is not allowed"],
    ["a fractional delta", withService({ mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "h", delta: 1.5 }] }] }), "services[0].mapping_rules[0].usages[0].delta: expected an integer"],
    ["a pattern that is not a valid regex", withService({ mapping_rules: [{ method: "GET", pattern: "/(", usages: [] }] }), "services[0].mapping_rules[0].pattern: regex error"],
    ["an empty placeholder", withService({ mapping_rules: [{ method: "GET", pattern: "/a{}", usages: [] }] }), "services[0].mapping_rules[0].pattern: regex error"],
    ["a rule in the second service", config([service(), { ...service(), mapping_rules: [{ method: 1, pattern: "/", usages: [] }] }]), "services[1].mapping_rules[0].method: expected a string"],
  ])("%s", async (_, cfg, message) => {
    const r = await configure(cfg);
    expect(r.accepted).toBe(false);
    expect(r.error).toContain("configuration rejected: ");
    expect(r.error).toContain(message);
  });

  it("keeps the previous configuration when a new one is rejected", async () => {
    expect((await configure(config())).accepted).toBe(true);
    expect((await configure("{")).accepted).toBe(false);
    const r = await host.request({ headers: [[":authority", "a"], [":path", "/?user_key=1"], [":method", "GET"]] });
    expect(r.httpCalls).toHaveLength(1);
    expect(r.outcome).toBe("continue");
  });
});

describe("configure-time warnings", () => {
  it.each<[string, unknown, string]>([
    ["no services", { api: "v1", backend: { upstream } }, "services: no services configured"],
    ["an empty services list", config([]), "services: empty list"],
    ["no backend", { api: "v1", services: [service()] }, "backend: no backend configured"],
    ["an upper-case header key", withCredentials({ user_key: [{ header: { keys: ["Authorization"] } }] }), "services[0].credentials.user_key[0].header.keys[0]: header key `Authorization` has upper-case letters"],
    ["a negative delta", withService({ mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "h", delta: -1 }] }] }), "services[0].mapping_rules[0].usages[0].delta: negative delta -1"],
  ])("%s", async (_, cfg, message) => {
    const r = await configure(cfg);
    expect(r.accepted).toBe(true);
    expect(r.warnings.join("\n")).toContain(message);
  });
});
