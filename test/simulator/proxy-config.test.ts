// Part B: GET /admin/api/services/<id>/proxy/configs/<env>/latest.json
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/server";
import { appIdService, request, simulator } from "./support";

const TOKEN = "access-7";
const path = (service: string, env: string, token?: string) =>
  `/admin/api/services/${service}/proxy/configs/${env}/latest.json${token === undefined ? "" : `?access_token=${token}`}`;

async function configSim() {
  return simulator({
    providers: [{ key: "pk-7", accessTokens: [TOKEN] }, { key: "pk-8", accessTokens: ["access-8"] }],
    services: [
      appIdService({
        id: "2555417900001", name: "Products API", systemName: "products-api",
        mappingRules: [
          { method: "get", pattern: "/", metric: "hits", delta: 1 },
          { method: "GET", pattern: "/products/{id}?fields={f}&x=1", metric: "products", delta: 2, last: true },
        ],
      }),
      appIdService({ id: "8", providerKey: "pk-8", tokens: [], environments: ["sandbox"] }),
    ],
  });
}

async function fetchConfig(sim: Simulator, service: string, env: string, token?: string) {
  const answer = await request(sim, "GET", path(service, env, token));
  return { status: answer.status, type: answer.headers["content-type"], json: JSON.parse(answer.body) as any };
}

/** B.3: the fields (and JSON types) the reference parser insists on. */
function assertReferenceParsable(document: any): void {
  const types = (object: any, spec: Record<string, string>) => {
    for (const [key, type] of Object.entries(spec)) {
      const value = object[key];
      const actual = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
      expect(`${key}: ${actual}`).toBe(`${key}: ${type}`);
    }
  };
  const config = document.proxy_config;
  types(config, { id: "integer", version: "integer", environment: "string", content: "object" });
  const content = config.content;
  types(content, {
    id: "integer", account_id: "integer", tenant_id: "integer", name: "string", system_name: "string", state: "string",
    support_email: "string", buyer_plan_change_permission: "string", intentions_required: "boolean",
    custom_keys_enabled: "boolean", buyers_manage_apps: "boolean", buyers_manage_keys: "boolean",
    buyer_can_select_plan: "boolean", buyer_key_regenerate_enabled: "boolean", mandatory_app_key: "boolean",
    referrer_filters_required: "boolean", "proxiable?": "boolean", backend_version: "string",
    deployment_option: "string", backend_authentication_type: "string", proxy: "object",
  });
  const proxy = content.proxy;
  types(proxy, {
    id: "integer", tenant_id: "integer", service_id: "integer", lock_version: "integer", endpoint_port: "integer",
    auth_app_key: "string", auth_app_id: "string", auth_user_key: "string", secret_token: "string", api_test_path: "string",
    hostname_rewrite_for_sandbox: "string", service_backend_version: "string", credentials_location: "string",
    authentication_method: "string", apicast_configuration_driven: "boolean", "valid?": "boolean", hosts: "array",
    backend: "object", proxy_rules: "array",
  });
  for (const key of ["endpoint", "api_backend", "sandbox_endpoint", "oauth_login_url"]) {
    expect(key in proxy && (proxy[key] === null || URL.canParse(proxy[key]))).toBe(true);
  }
  expect(URL.canParse(proxy.backend.endpoint) && typeof proxy.backend.host === "string").toBe(true);
  for (const rule of proxy.proxy_rules) {
    types(rule, { id: "integer", metric_id: "integer", position: "integer", delta: "integer", pattern: "string", http_method: "string", last: "boolean" });
  }
}

describe("proxy-config endpoint", () => {
  it("serves the latest production document, complete enough for the reference parser", async () => {
    const sim = await configSim();
    const { status, type, json } = await fetchConfig(sim, "2555417900001", "production", TOKEN);
    expect([status, type]).toEqual([200, "application/json; charset=utf-8"]);
    assertReferenceParsable(json);
    expect(json.proxy_config).toMatchObject({ version: 1, environment: "production" });
    expect(json.proxy_config.content).toMatchObject({
      id: 2555417900001, name: "Products API", system_name: "products-api", backend_version: "2",
      backend_authentication_type: "service_token", backend_authentication_value: "tok-7",
    });
    expect(json.proxy_config.content.proxy.backend).toEqual({ endpoint: sim.url, host: new URL(sim.url).host });
  });

  it("lists mapping rules as proxy_rules in position order, with placeholders and query parameters", async () => {
    const sim = await configSim();
    const rules = (await fetchConfig(sim, "2555417900001", "production", TOKEN)).json.proxy_config.content.proxy.proxy_rules;
    const products = sim.state.metric(sim.state.requireService("2555417900001"), "products")!;
    expect(rules.map((r: any) => [r.http_method, r.pattern, r.metric_system_name, r.delta, r.last, r.position])).toEqual([
      ["GET", "/", "hits", 1, false, 1],
      ["GET", "/products/{id}?fields={f}&x=1", "products", 2, true, 2],
    ]);
    expect(rules[1]).toMatchObject({ metric_id: products.id, parameters: ["id"], querystring_parameters: { fields: "{f}", x: "1" }, owner_type: "Service" });
  });

  it("accepts staging as an alias of sandbox and refuses other environments with 400", async () => {
    const sim = await configSim();
    const staging = await fetchConfig(sim, "2555417900001", "staging", TOKEN);
    expect(staging.json).toEqual((await fetchConfig(sim, "2555417900001", "sandbox", TOKEN)).json);
    expect(staging.json.proxy_config.environment).toBe("sandbox");
    expect(await fetchConfig(sim, "2555417900001", "unknown", TOKEN)).toMatchObject({ status: 400, json: { error: "invalid environment" } });
  });

  it("checks the access token: 401 without, 403 when unknown", async () => {
    const sim = await configSim();
    expect((await fetchConfig(sim, "2555417900001", "production")).status).toBe(401);
    expect((await fetchConfig(sim, "2555417900001", "production", "")).status).toBe(401);
    expect((await fetchConfig(sim, "2555417900001", "production", "nope")).status).toBe(403);
  });

  it("answers 404 for unknown services, other accounts' services and environments without a config", async () => {
    const sim = await configSim();
    expect((await fetchConfig(sim, "404", "production", TOKEN)).status).toBe(404);
    expect((await fetchConfig(sim, "8", "sandbox", TOKEN)).status).toBe(404);
    expect((await fetchConfig(sim, "8", "sandbox", "access-8")).status).toBe(200);
    expect((await fetchConfig(sim, "8", "production", "access-8")).status).toBe(404);
  });

  it("uses the provider key when the service has no token", async () => {
    const content = (await fetchConfig(await configSim(), "8", "sandbox", "access-8")).json.proxy_config.content;
    expect([content.backend_authentication_type, content.backend_authentication_value]).toEqual(["provider_key", "pk-8"]);
  });

  it("serves newly promoted versions, patched documents and raw replacements", async () => {
    const sim = await configSim();
    sim.state.requireService("2555417900001").mappingRules.push({ method: "POST", pattern: "/orders", metric: "orders", delta: 1, last: false });
    sim.promoteProxyConfig("2555417900001", "production", { content: { support_email: null }, proxy: { hosts: ["a.example"] } });
    const promoted = (await fetchConfig(sim, "2555417900001", "production", TOKEN)).json.proxy_config;
    expect([promoted.version, promoted.content.support_email, promoted.content.proxy.hosts, promoted.content.proxy.proxy_rules.length])
      .toEqual([2, null, ["a.example"], 3]);
    expect((await fetchConfig(sim, "2555417900001", "sandbox", TOKEN)).json.proxy_config.version).toBe(1);

    sim.replaceProxyConfig("2555417900001", "production", { anything: [1, 2] });
    expect((await fetchConfig(sim, "2555417900001", "production", TOKEN)).json).toEqual({ anything: [1, 2] });
  });
});
