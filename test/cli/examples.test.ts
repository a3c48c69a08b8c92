// `check` and `try` on every example: the module accepts the plugin configuration of each of its
// control-plane files (WasmPlugin, TrafficExtension, EnvoyExtensionPolicy), and a request in the
// example's scheme reaches the backend with the expected credentials.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureHarness } from "../../tools/wasi/harness";
import { cli, ROOT } from "./run";

const JWT = "envoy.filters.http.jwt_authn";
const b64url = (s: string) => Buffer.from(s).toString("base64url"); // unpadded, as Envoy writes it

/** per example: the `try` arguments of one good request, and what the authrep query must carry */
const requests: Record<string, { args: string[]; backendSees: string }> = {
  "oidc-jwt": { args: ["--metadata", JSON.stringify({ [JWT]: { payload: { iss: "https://idp.example.com", azp: "client-a", aud: ["api"] } } })], backendSees: "&app_id=client-a&usage[hits]=1" },
  "jwt-payload-header": { args: ["--header", `x-jwt-payload: ${b64url('{"iss":"https://idp.example.com","azp":"client-a"}')}`], backendSees: "&app_id=client-a&usage[hits]=1" },
  "oauth2-client-credentials": { args: ["--metadata", JSON.stringify({ [JWT]: { payload: { client_id: "reporting-job" } } })], backendSees: "&app_id=reporting-job&usage[hits]=1" },
  "oauth2-bearer": { args: ["--header", "authorization: bearer Tok-BEAR-9f2c"], backendSees: "&user_key=Tok-BEAR-9f2c&usage[hits]=1" },
  "basic-auth": { args: ["--header", `authorization: Basic ${Buffer.from("aladdin:op:en~~~se???").toString("base64")}`], backendSees: "&app_id=aladdin&app_key=op%3Aen~~~se%3F%3F%3F&usage[hits]=1" },
  "http-signature": { args: ["--header", 'authorization: Signature keyId="partner-17",algorithm="rsa-sha256",headers="(request-target) date",signature="c2ln"'], backendSees: "&app_id=partner-17&usage[hits]=1" },
  "api-key": { args: ["--header", "x-api-key: key-in-header"], backendSees: "&user_key=key-in-header&usage[hits]=1" },
  production: { args: ["--header", "x-api-key: key-production"], backendSees: "&user_key=key-production&usage[hits]=1" },
  "envoy-gateway": { args: ["--header", "x-api-key: key-in-header"], backendSees: "&user_key=key-in-header&usage[hits]=1" },
};

/** an example's control-plane files, the first being the one `try` runs */
const pluginFiles = (name: string) =>
  ["wasmplugin.yaml", "trafficextension.yaml", "envoyextensionpolicy.yaml"].filter((f) => existsSync(join(ROOT, "examples", name, f)));

// every folder with a control-plane file (not demo/ and harness/, which hold other inputs)
const examples = readdirSync(join(ROOT, "examples"), { withFileTypes: true }).filter((d) => d.isDirectory() && pluginFiles(d.name).length > 0).map((d) => d.name);

describe("the command-line tool on every example", () => {
  beforeAll(ensureHarness); // try's trace comes from the harness build
  it("knows a request for every example folder", () => {
    expect(examples.sort()).toEqual(Object.keys(requests).sort());
  });

  it.each(examples.flatMap((name) => pluginFiles(name).map((f) => `${name}/${f}`)))("check accepts %s", async (path) => {
    const r = await cli("check", join(ROOT, "examples", path));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
  });

  it.each(examples)("%s: try sends the expected authrep call and continues", async (name) => {
    const { args, backendSees } = requests[name];
    const r = await cli("try", join(ROOT, "examples", name, pluginFiles(name)[0]), "--authority", "api.example.com", "--path", "/", "--show-credentials", ...args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(backendSees);
    expect(r.stdout).toContain("continues upstream");
    // the module's trace found the credentials the authrep call carries, and decided as the module did
    expect(r.stdout).toMatch(/trace +│ +credentials \(docs\/configuration\.md §8\.1\): (user_key|app_id) "/);
    expect(r.stdout).not.toContain("warning: the traced decision");
  });

  it("try on the demo configuration: the unknown key is denied by the backend's answer", async () => {
    const r = await cli("try", join(ROOT, "examples/demo/plugin-config.json"), "--authority", "products.example.com", "--path", "/?user_key=nope", "--answer", "403");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Authentication failed");
  });
});
