// The `filter` lookup source (docs/configuration.md §8.3) through the built module: Envoy's dynamic
// metadata arrives as the protobuf `metadata` property, here from the host's JSON fixture.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { authrepParams, requestHeaders, WASM } from "../support/module";

const JWT = "envoy.filters.http.jwt_authn";
const payload = { azp: "client-a", aud: ["aud-1", "aud-2"], exp: 1700000000 };
const metadata = { [JWT]: { verified_jwt: payload } };

let host: ProxyWasmHost;
beforeAll(async () => { host = await ProxyWasmHost.create({ wasm: WASM, clusters: { [BACKEND_CLUSTER]: () => ({ status: 200 }) } }); });
afterAll(async () => { await host.close(); });

/** app_id from the filter source under test, else from header x-fallback; app_key from x-app-key */
async function appCredentials(filter: unknown, md: Record<string, Record<string, unknown>> | undefined): Promise<Record<string, string>> {
  const credentials = { app_id: [{ filter }, { header: { keys: ["x-fallback"] } }], app_key: [{ header: { keys: ["x-app-key"] } }] };
  const configured = await host.configure(JSON.stringify(config([service({ credentials })])));
  expect(configured.accepted).toBe(true);
  const r = await host.request({ headers: requestHeaders("/", [["x-fallback", "fallback"], ["x-app-key", "header-key"]]), metadata: md });
  const p = authrepParams(r);
  return { app_id: p.app_id, app_key: p.app_key };
}

describe("docs/configuration.md §8.3 examples", () => {
  it.each<[string, unknown, Record<string, Record<string, unknown>>, Record<string, string>]>([
    ["path [ns, \"0\"], keys [azp, aud], take head 1", { path: [JWT, "0"], keys: ["azp", "aud"], ops: [{ take: { head: 1 } }] }, metadata, { app_id: "client-a", app_key: "header-key" }],
    ["path [ns, verified_jwt], keys [azp]", { path: [JWT, "verified_jwt"], keys: ["azp"] }, metadata, { app_id: "client-a", app_key: "header-key" }],
    ["a list gives app id and app key", { path: [JWT, "0"], keys: ["aud"] }, metadata, { app_id: "aud-1", app_key: "aud-2" }],
    ["an absent key is skipped", { path: [JWT, "0"], keys: ["client_id", "azp"] }, metadata, { app_id: "client-a", app_key: "header-key" }],
    ["the first selecting key decides, even a number", { path: [JWT, "0"], keys: ["exp", "azp"] }, metadata, { app_id: "fallback", app_key: "header-key" }],
    ["a path shorter than two elements never resolves", { path: [JWT], keys: ["verified_jwt"] }, metadata, { app_id: "fallback", app_key: "header-key" }],
    ["\"0\" needs exactly one entry", { path: [JWT, "0"], keys: ["azp"] }, { [JWT]: { p1: payload, p2: payload } }, { app_id: "fallback", app_key: "header-key" }],
    ["an entry literally named \"0\" wins", { path: [JWT, "0"], keys: ["azp"] }, { [JWT]: { "0": { azp: "zero" }, p2: payload } }, { app_id: "zero", app_key: "header-key" }],
    ["the namespace is looked up exactly", { path: ["envoy.filters.http.JWT_AUTHN", "0"], keys: ["azp"] }, metadata, { app_id: "fallback", app_key: "header-key" }],
    ["empty path elements below the entry are skipped", { path: [JWT, "0", "", "aud"], keys: ["1"] }, metadata, { app_id: "aud-2", app_key: "header-key" }],
    ["an empty key selects the value reached", { path: [JWT, "0", "azp"], keys: [""] }, metadata, { app_id: "client-a", app_key: "header-key" }],
    ["a one-entry struct holding a string", { path: [JWT, "0"], keys: ["nested"] }, { [JWT]: { p: { nested: { only: "inner" } } } }, { app_id: "inner", app_key: "header-key" }],
    ["a list holding a non-string does not resolve", { path: [JWT, "0"], keys: ["mixed"] }, { [JWT]: { p: { mixed: ["a", 1] } } }, { app_id: "fallback", app_key: "header-key" }],
    ["a number index selects a list element", { path: [JWT, "0", "aud"], keys: ["+01"] }, metadata, { app_id: "aud-2", app_key: "header-key" }],
  ])("%s", async (_, filter, md, expected) => {
    expect(await appCredentials(filter, md)).toEqual(expected);
  });

  it("an empty list resolves to nothing: the search stops and no app id is used", async () => {
    const credentials = { user_key: [{ filter: { path: [JWT, "0"], keys: ["aud"] } }, { header: { keys: ["x-user-key"] } }] };
    await host.configure(JSON.stringify(config([service({ credentials })])));
    const r = await host.request({ headers: requestHeaders("/", [["x-user-key", "from-header"]]), metadata: { [JWT]: { p: { aud: [] } } } });
    expect([r.status, r.body]).toEqual([403, "Authentication parameters missing\n"]);
  });

  it("an empty list with operations fails the source, so the next one is tried", async () => {
    const credentials = { user_key: [{ filter: { path: [JWT, "0"], keys: ["aud"], ops: ["ok"] } }, { header: { keys: ["x-user-key"] } }] };
    await host.configure(JSON.stringify(config([service({ credentials })])));
    const r = await host.request({ headers: requestHeaders("/", [["x-user-key", "from-header"]]), metadata: { [JWT]: { p: { aud: [] } } } });
    expect(authrepParams(r).user_key).toBe("from-header");
  });

  it("without any metadata the source does not resolve", async () => {
    expect(await appCredentials({ path: [JWT, "0"], keys: ["azp"] }, undefined)).toEqual({ app_id: "fallback", app_key: "header-key" });
  });

  it("accepts the positional form [path, keys, ops]", async () => {
    expect(await appCredentials([[JWT, "0"], ["azp"], null], metadata)).toEqual({ app_id: "client-a", app_key: "header-key" });
  });
});
