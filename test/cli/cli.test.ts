// The command line (tools/cli/) as a user runs it: `node bin/authrep-wasm.js …` in a child
// process, on temporary configuration files, asserting on its output and exit status.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../tools/simulator/server";
import { ensureHarness } from "../../tools/wasi/harness";
import { cli, ROOT } from "./run";
const DEMO = join(ROOT, "examples/demo/plugin-config.json");
const EXAMPLES = join(ROOT, "examples");
const BACKEND = { upstream: { name: "outbound|443||su1.3scale.net", url: "https://su1.3scale.net/" } };
const JWT = "envoy.filters.http.jwt_authn";

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "authrep-cli-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("check", () => {
  it("accepts the demo configuration and summarises it", async () => {
    const r = await cli("check", DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
    expect(r.stdout).toContain("services: 2");
    expect(r.stdout).toContain("authorities: orders.example.com, orders.example.com:*");
    expect(r.stdout).toContain("mapping rules: 3");
    expect(r.stdout).toContain("user_key sources (2): query_string user_key; header x-api-key");
    expect(r.stdout).toContain("warnings: none");
  });

  it("prints the module's error with the field path, exit 1", async () => {
    const path = file("bad.json", { api: "v1", backend: BACKEND, services: [{ id: 1, authorities: ["*"], credentials: { user_key: [] } }] });
    const r = await cli("check", path);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("configuration rejected: services[0].id: expected a string");
  });

  it("takes spec.pluginConfig of the WasmPlugin in a multi-document YAML, with the module's warnings", async () => {
    const path = file("plugin.yaml", `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: threescale-saas-backend }
spec: { hosts: [su1.3scale.net] }
---
apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: { name: threescale-auth, namespace: shop }
spec:
  pluginConfig:
    api: v1
    backend: { upstream: { name: "outbound|443||su1.3scale.net", url: "https://su1.3scale.net/" } }
    services:
      - id: "42"
        token: t
        authorities: ["api.shop.test"]
        credentials:
          user_key: [{ header: { keys: [X-Key] } }]
`);
    const r = await cli("check", path);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("WasmPlugin shop/threescale-auth spec.pluginConfig");
    expect(r.stdout).toContain("service 42");
    expect(r.stdout).toMatch(/services\[0\]\.credentials\.user_key\[0\]\.header\.keys\[0\]: header key `X-Key` has upper-case letters/);
  });
});

describe("check on the other control planes' resources", () => {
  it("takes spec.wasm.pluginConfig of an Istio TrafficExtension", async () => {
    const r = await cli("check", join(EXAMPLES, "production", "trafficextension.yaml"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: .*trafficextension\.yaml, TrafficExtension orders\/threescale-production spec\.wasm\.pluginConfig/);
    expect(r.stdout).toContain("service 2555417800005");
  });

  it("takes spec.wasm[].config of an Envoy Gateway EnvoyExtensionPolicy", async () => {
    const r = await cli("check", join(EXAMPLES, "envoy-gateway", "envoyextensionpolicy.yaml"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: .*envoyextensionpolicy\.yaml, EnvoyExtensionPolicy orders\/threescale-api-key spec\.wasm\[0\] \(threescale-api-key\)\.config/);
    expect(r.stdout).toContain("service 2555417800003");
  });

  const config = { api: "v1", backend: BACKEND, services: [{ id: "7", token: "t", authorities: ["*"], credentials: { user_key: [{ header: { keys: ["x-key"] } }] } }] };
  const policy = (wasm: object[]) => file("eep.yaml", JSON.stringify({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyExtensionPolicy", metadata: { name: "p" }, spec: { wasm } }));
  const code = { type: "HTTP", http: { url: "https://example.com/authrep.wasm" } };

  it("with several wasm entries, --plugin chooses one by name", async () => {
    const path = policy([{ name: "a", code, config }, { name: "b", code, config: { ...config, services: [{ ...config.services[0], id: "8" }] } }]);
    const both = await cli("check", path);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/several plugins \(a, b\); choose one with --plugin NAME/);
    const r = await cli("check", path, "--plugin", "b");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("service 8");
  });

  it("a config written as a YAML string reaches the module as a JSON string, which it rejects", async () => {
    const r = await cli("check", policy([{ name: "a", code, config: JSON.stringify(config) }]));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("configuration rejected");
  });

  it("a TrafficExtension with Lua only is not a plugin", async () => {
    const path = file("lua.yaml", "apiVersion: extensions.istio.io/v1alpha1\nkind: TrafficExtension\nmetadata: { name: l }\nspec: { lua: { inlineCode: x } }\n");
    const r = await cli("check", path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no WasmPlugin, TrafficExtension with wasm, EnvoyExtensionPolicy with wasm or envoy\.filters\.http\.wasm filter/);
  });
});

describe("check on an envoy.yaml", () => {
  it("reads the wasm filter's configuration of a standalone bootstrap, placeholders and all", async () => {
    const r = await cli("check", join(EXAMPLES, "api-key", "envoy.yaml"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: .*envoy\.yaml, wasm filter threescale-api-key configuration \(placeholders .*\$\{WASM_FILE\}.* read as 0\)/);
  });
});

describe("usage errors and help", () => {
  it.each<[string, () => string[], RegExp]>([
    ["no arguments", () => [], /usage: authrep-wasm <command>/],
    ["an unknown command", () => ["lint", DEMO], /unknown command lint/],
    ["a missing file", () => ["check", join(dir, "nope.json")], /cannot read .*nope\.json/],
    ["an unknown option", () => ["check", DEMO, "--verbose"], /unknown option --verbose/],
    ["a YAML file without a WasmPlugin", () => ["check", file("none.yaml", "kind: ConfigMap\n")], /no WasmPlugin, TrafficExtension with wasm, EnvoyExtensionPolicy with wasm or envoy\.filters\.http\.wasm filter; expected a JSON plugin configuration/],
    ["a folder", () => ["check", join(EXAMPLES, "api-key")], /api-key is a folder: pass one file, .*; in it: .*envoy\.yaml, .*wasmplugin\.yaml/],
    ["a file that is not YAML", () => ["check", file("bad.yaml", "a: {b\n")], /not valid YAML .*expected a JSON plugin configuration/],
    ["a missing module", () => ["check", DEMO, "--wasm", join(dir, "x.wasm")], /cannot read .*x\.wasm/],
    ["--answer with --backend", () => ["try", DEMO, "--backend", "http://127.0.0.1:1", "--answer", "200"], /--backend excludes/],
  ])("exit 2 on %s", async (_, args, message) => {
    const r = await cli(...args());
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
  });

  it.each(["check", "try"])("%s --help", async (command) => {
    const r = await cli(command, "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`usage: authrep-wasm ${command} CONFIG`);
  });
});

describe("try", () => {
  const products = ["try", DEMO, "--authority", "products.example.com"];
  // the trace comes from the harness build: build it once here rather than in the first test
  beforeAll(ensureHarness);

  it("allowed: prints the resolved credentials, the rules, the exact authrep :path and continues upstream", async () => {
    const r = await cli(...products, "--path", "/products/7", "--header", "X-Api-Key: demo-user-key");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trace +│ +service 2555417900001 selected: "products\.example\.com" matches its authority products\.example\.com/);
    expect(r.stdout).toContain("1 later service(s) not considered: the first match wins");
    expect(r.stdout).toContain("source 1: query_string user_key");
    expect(r.stdout).toMatch(/trace +│ +no value found for any key/);
    expect(r.stdout).toContain(`found: ["de…" (13 chars)]`);
    expect(r.stdout).toContain(`credentials (docs/configuration.md §8.1): user_key "de…" (13 chars)`);
    expect(r.stdout).toMatch(/trace +│ +matched #1: GET \/ → hits 1\n.*matched #2: GET \/products\/\{id\} → products 1\n.*1 other rule\(s\) did not match\n.*usages: hits 1, products 1\n/);
    expect(r.stdout).toContain(`:path: /transactions/authrep.xml?service_id=2555417900001&service_token="de…" (20 chars)&user_key="de…" (13 chars)&usage[hits]=1&usage[products]=1`);
    expect(r.stdout).toContain("continues upstream");
    expect(r.stdout).not.toContain("demo-user-key");
    const shown = await cli(...products, "--path", "/products/7?user_key=demo-user-key", "--show-credentials");
    expect(shown.stdout).toContain("&user_key=demo-user-key&usage[hits]=1");
  });

  it("missing credentials: 403 and the rules are not evaluated", async () => {
    const r = await cli(...products, "--path", "/products/7");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("credentials (docs/configuration.md §8.1): none");
    expect(r.stdout).toContain("not evaluated: the request ended before the mapping rules");
    expect(r.stdout).toContain(`local reply 403 "Authentication parameters missing\\n"`);
  });

  it("limits: a 409 limits_exceeded answer becomes 429", async () => {
    const r = await cli(...products, "--path", "/?user_key=k", "--answer", "409", "--rejection-reason", "limits_exceeded");
    expect(r.stdout).toContain("backend answer: 409, 3scale-rejection-reason: limits_exceeded");
    expect(r.stdout).toContain(`local reply 429 "Usage limit exceeded\\n"`);
  });

  it("filter metadata: the stack after every operation, then app key from a header", async () => {
    const config = file("jwt.json", { api: "v1", backend: BACKEND, services: [{
      id: "9", token: "t", authorities: ["api.test"],
      credentials: {
        app_id: [{ filter: { path: [JWT, "0"], keys: ["azp"], ops: [{ split: { separator: ":" } }, { take: { head: 1 } }] } }],
        app_key: [{ header: { keys: ["x-app-key"] } }],
      },
      mapping_rules: [{ method: "ANY", pattern: "/", usages: [{ name: "hits", delta: 2 }], last: true }, { method: "GET", pattern: "/", usages: [{ name: "never", delta: 1 }] }],
    }] });
    const metadata = JSON.stringify({ [JWT]: { verified_jwt: { azp: "client-a:tenant" } } });
    const r = await cli("try", config, "--metadata", metadata, "--header", "x-app-key: secret-key", "--show-credentials");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`source 1: filter ${JWT}/0 keys azp | split → take`);
    expect(r.stdout).toContain(`found: ["client-a:tenant"]`);
    expect(r.stdout).toContain(`after 1 {"split":{"separator":":"}}: ["client-a", "tenant"]`);
    expect(r.stdout).toContain(`after 2 {"take":{"head":1}}: ["client-a"]`);
    expect(r.stdout).toContain(`credentials (docs/configuration.md §8.1): app_id "client-a", app_key "secret-key"`);
    expect(r.stdout).toContain("1 rule(s) after #1 not evaluated (last: true)");
    expect(r.stdout).toContain("&app_id=client-a&app_key=secret-key&usage[hits]=2");
  });

  it("service choice: the services before the selected one, and a request no service matches", async () => {
    const svc = (id: string, authorities: string[]) => ({ id, token: "t", authorities, credentials: { user_key: [{ header: { keys: ["x-key"] } }] }, mapping_rules: [{ method: "ANY", pattern: "/", usages: [{ name: "hits", delta: 1 }] }] });
    const config = file("services.json", { api: "v1", backend: BACKEND, services: [svc("1", ["a.test"]), svc("2", ["b.test", "*.c.test"]), svc("3", ["*"])] });
    const r = await cli("try", config, "--authority", "x.C.test:443", "--header", "x-key: k");
    expect(r.stdout).toContain(`service 1: no authority pattern matches "x.c.test" (a.test)`);
    expect(r.stdout).toContain(`service 2 selected: "x.c.test" matches its authority *.c.test`);
    expect(r.stdout).toContain("1 later service(s) not considered: the first match wins");
    const none = await cli("try", file("one.json", { api: "v1", backend: BACKEND, services: [svc("1", ["a.test"])] }), "--authority", "b.test");
    expect(none.stdout).toContain(`no service selected: none has an authority matching "b.test"`);
    expect(none.stdout).toContain(`local reply 403 "Unknown service\\n" (details authrep_unknown_service)`);
  });

  it("a failing operation passes on to the next source; stacks stay masked without --show-credentials", async () => {
    const config = file("ops.json", { api: "v1", backend: BACKEND, services: [{
      id: "5", token: "t", authorities: ["api.test"],
      credentials: { user_key: [
        { header: { keys: ["authorization"], ops: [{ split: { separator: " ", max: 2 } }, { length: { min: 3 } }] } },
        { header: { keys: ["authorization"], ops: [{ split: { separator: " ", max: 2 } }, { take: { tail: 1 } }] } },
      ] },
      mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }],
    }] });
    const args = ["try", config, "--header", "authorization: Bearer secret-token-1"];
    const r = await cli(...args);
    expect(r.stdout).toContain(`found: ["Be…" (21 chars)]`);
    expect(r.stdout).toContain(`after 1 {"split":{"separator":" ","max":2}}: ["…" (6 chars), "se…" (14 chars)]`);
    expect(r.stdout).toContain(`operation 2 {"length":{"min":3}} failed: next source`);
    expect(r.stdout).toContain(`after 2 {"take":{"tail":1}}: ["se…" (14 chars)]`);
    expect(r.stdout).toContain(`resolved: ["se…" (14 chars)]`);
    expect(r.stdout).not.toContain("secret-token-1");
    const shown = await cli(...args, "--show-credentials");
    expect(shown.stdout).toContain(`after 1 {"split":{"separator":" ","max":2}}: ["Bearer", "secret-token-1"]`);
    expect(shown.stdout).toContain(`credentials (docs/configuration.md §8.1): user_key "secret-token-1"`);
  });

  it("a filter source without operations that resolves to no value: resolution goes on to the app id", async () => {
    const config = file("empty.json", { api: "v1", backend: BACKEND, services: [{
      id: "6", token: "t", authorities: ["api.test"],
      credentials: { user_key: [{ filter: { path: [JWT, "0"], keys: ["keys"] } }], app_id: [{ header: { keys: ["x-app-id"] } }] },
      mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }],
    }] });
    const r = await cli("try", config, "--metadata", JSON.stringify({ [JWT]: { claims: { keys: [] } } }), "--header", "x-app-id: app-1", "--show-credentials");
    expect(r.stdout).toMatch(/source 1: filter envoy\.filters\.http\.jwt_authn\/0 keys keys\n.*found: \[\]\n.*resolved: \[\]\n/);
    expect(r.stdout).toContain("app_id: 1 source(s), tried in order");
    expect(r.stdout).toContain(`credentials (docs/configuration.md §8.1): app_id "app-1"`);
    expect(r.stdout).toContain("&app_id=app-1&usage[hits]=1");
  });

  describe("with the 3scale simulator as the backend", () => {
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    beforeAll(async () => { sim = await startSimulator({ seed: join(ROOT, "tools/simulator/demo-seed.json") }); });
    afterAll(async () => sim.close());

    it("sends exactly one authrep call (the trace never reaches the backend)", async () => {
      const ok = await cli(...products, "--path", "/products/1?user_key=demo-user-key", "--backend", sim.url);
      expect(ok.stdout).toContain(`answered by the backend at ${sim.url}`);
      expect(ok.stdout).toContain("backend answer: 200");
      expect(ok.stdout).toContain("continues upstream");
      expect(sim.requests).toHaveLength(1);
      const suspended = await cli(...products, "--path", "/?user_key=demo-suspended-key", "--backend", sim.url);
      expect(suspended.stdout).toMatch(/backend answer: 409, 3scale-rejection-reason: application_not_active/);
      expect(suspended.stdout).toContain(`local reply 403 "Authentication failed\\n"`);
    });
  });
});
