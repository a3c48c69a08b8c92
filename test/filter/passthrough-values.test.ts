// Pass-through mode puts credentials on the upstream request. Envoy refuses a header value
// with CR, LF or NUL (the client then gets a 503 for a request already counted as allowed), so
// such a credential is answered "authentication failed", as any credential 3scale would refuse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, service } from "../support/configs";
import { get, type Plugin, plugin, requestHeaders } from "../support/module";

const JWT = "envoy.filters.http.jwt_authn";
const credentials = {
  user_key: [{ query_string: { keys: ["user_key"] } }],
  app_id: [{ filter: { path: [JWT, "0"], keys: ["azp"] } }],
  app_key: [{ filter: { path: [JWT, "0"], keys: ["key"] } }],
};
const rules = [{ method: "ANY", pattern: "/", usages: [{ name: "hits", delta: 1 }] }];

let p: Plugin;
beforeAll(async () => { p = await plugin(config([service({ credentials, mapping_rules: rules })], { passthrough_metadata: true })); });
afterAll(async () => { await p.close(); });

const denied = (r: { status?: number; body?: string; details?: string; outcome: string }) => [r.outcome, r.status, r.body, r.details];
const AUTH_FAILED = ["local_reply", 403, "Authentication failed\n", "authrep_invalid_passthrough_value"];

describe("pass-through values Envoy would refuse", () => {
  it.each([["LF", "%0A"], ["CR", "%0D"], ["NUL", "%00"]])("a user key with %s (percent-encoded in the query) → 403 Authentication failed", async (_, encoded) => {
    const r = await get(p, `/?user_key=key${encoded}injected`);
    expect(denied(r)).toEqual(AUTH_FAILED);
    expect(r.requestHeaders.filter(([k]) => k.startsWith("x-3scale-"))).toEqual([]);
  });

  it.each([["LF", "\n"], ["CR", "\r"], ["NUL", "\u0000"]])("an app id or app key from metadata with %s → 403 Authentication failed", async (_, c) => {
    for (const claims of [{ azp: `app${c}x-evil: 1`, key: "k" }, { azp: "app", key: `k${c}` }]) {
      const r = await p.host.request({ headers: requestHeaders("/"), metadata: { [JWT]: { verified_jwt: claims } } });
      expect(denied(r)).toEqual(AUTH_FAILED);
    }
  });

  it("counts the request as a bad request, not as allowed", async () => {
    const value = (name: string) => p.host.metric(`authrep_wasm.requests.${name}`)?.value ?? 0;
    const [allowed, bad] = [value("allowed"), value("denied.bad_request")];
    await get(p, "/?user_key=a%0Ab");
    expect([value("allowed") - allowed, value("denied.bad_request") - bad]).toEqual([0, 1]);
  });

  it("other control characters and non-ASCII values still go upstream unchanged", async () => {
    const r = await p.host.request({ headers: requestHeaders("/"), metadata: { [JWT]: { verified_jwt: { azp: "app\tü", key: "k\u0001" } } } });
    expect(r.outcome).toBe("continue");
    expect(r.requestHeaders.find(([k]) => k === "x-3scale-app-id")).toEqual(["x-3scale-app-id", "app\tü:k\u0001"]);
  });
});
