// backend.limits: an authrep call above the credential or query cap is never sent — the request
// gets the auth_failed reply and a metric — whatever the failure policy and the cache; a call at
// the cap is sent. The query length the module computes must equal what it then builds.
import { afterEach, describe, expect, it } from "vitest";
import { config, service } from "../support/configs";
import { authrepCall, get, header, plugin, type Plugin } from "../support/module";
import { cachedConfig, gateway, type Gateway, user, userService } from "../cache/support";

const DENIED = "authrep_wasm.requests.denied.";
let p: Plugin | undefined;
let g: Gateway | undefined;
afterEach(async () => { await p?.close(); await g?.close(); p = g = undefined; });

function withBackend(extra: Record<string, unknown>, top: Record<string, unknown> = {}, services = [service()]): Record<string, unknown> {
  const c = config(services, top);
  return { ...c, backend: { ...(c.backend as object), ...extra } };
}

const metric = (q: Plugin, name: string) => q.host.metric(DENIED + name)?.value ?? 0;

describe("default caps: 1,024 bytes per credential, 8,192 bytes of query, both percent-encoded", () => {
  it.each<[string, string, string, boolean]>([
    ["a user_key of 1,024 characters", "user_key", "k".repeat(1024), true],
    ["a user_key of 1,025 characters", "user_key", "k".repeat(1025), false],
    ["341 `&` (1,023 bytes encoded)", "user_key", "&".repeat(341), true],
    ["342 `&` (1,026 bytes encoded, 342 characters)", "user_key", "&".repeat(342), false],
    ["an app_id of 1,025 characters", "x-app-id", "i".repeat(1025), false],
  ])("%s", async (_, name, value, sent) => {
    p = await plugin(config());
    const r = await get(p, "/", [[name, value], ...(name === "x-app-id" ? [["x-app-key", "key"] as [string, string]] : [])]);
    if (sent) {
      expect(r.outcome).toBe("continue");
      expect(authrepCall(r)).toBeDefined();
      return;
    }
    expect([r.status, r.body, r.details, r.httpCalls]).toEqual([403, "Authentication failed\n", "authrep_credential_too_large", []]);
    expect(metric(p, "credentials_too_large")).toBe(1);
  });

  it("an app_key above the cap with a short app_id", async () => {
    p = await plugin(config());
    const r = await get(p, "/", [["x-app-id", "app"], ["x-app-key", "😀".repeat(86)]]); // 86 × 12 = 1,032 bytes encoded
    expect([r.status, r.details, r.httpCalls.length]).toEqual([403, "authrep_credential_too_large", 0]);
  });

  it("an app_id and app_key each at the cap fit the default query", async () => {
    p = await plugin(config());
    const r = await get(p, "/", [["x-app-id", "i".repeat(1024)], ["x-app-key", "k".repeat(1024)]]);
    expect(r.outcome).toBe("continue");
  });
});

describe("the query cap, exact to the byte", () => {
  // usages with a negative and a multi-digit delta, an odd metric name, an odd service id and token,
  // and a backend URL with a base path and its own query: every part of the query counts
  const rules = [
    { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }, { name: "négatif/x", delta: -12 }] },
    { method: "GET", pattern: "/a", usages: [{ name: "hits", delta: 1234567 }] },
  ];
  const odd = service({ id: "a/b c", token: "t&k=ä", mapping_rules: rules });
  const url = { url: "https://su1.3scale.net/base/?ext=1&y=%20" };
  const cfg = (maxQuery: number) => {
    const c = withBackend({ limits: { max_query_bytes: maxQuery } }, {}, [odd]);
    (c.backend as { upstream: object }).upstream = { ...(c.backend as { upstream: object }).upstream, ...url };
    return c;
  };

  it("a query of exactly max_query_bytes is sent, one byte more is refused", async () => {
    p = await plugin(cfg(1_000_000));
    const path = header(authrepCall(await get(p, "/a/b?user_key=k%C3%A9y&x", []))!, ":path")!;
    expect(path.startsWith("/base/transactions/authrep.xml?")).toBe(true);
    const query = path.slice(path.indexOf("?") + 1);
    expect(query).toContain("&ext=1&y=%20");
    await p.close();

    p = await plugin(cfg(query.length));
    const at = await get(p, "/a/b?user_key=k%C3%A9y&x", []);
    expect(header(authrepCall(at)!, ":path")).toBe(path);
    await p.close();

    p = await plugin(cfg(query.length - 1));
    const over = await get(p, "/a/b?user_key=k%C3%A9y&x", []);
    expect([over.status, over.body, over.details, over.httpCalls]).toEqual([403, "Authentication failed\n", "authrep_query_too_large", []]);
    expect(metric(p, "query_too_large")).toBe(1);
    expect(metric(p, "credentials_too_large")).toBe(0);
  });

  it("configured caps replace the defaults, and the service's auth_failed reply is used", async () => {
    const s = { ...service(), replies: { auth_failed: { status: 401, body: "nope", content_type: "text/plain" } } };
    p = await plugin(withBackend({ limits: { max_credential_bytes: 4 } }, {}, [s]));
    expect((await get(p, "/?user_key=abcd")).outcome).toBe("continue");
    const r = await get(p, "/?user_key=abcde");
    expect([r.status, r.body, r.details, r.httpCalls]).toEqual([401, "nope", "authrep_credential_too_large", []]);
    expect(r.responseHeaders).toContainEqual(["content-type", "text/plain"]);
  });
});

describe("a request too large to send is never let through by the failure policy", () => {
  const huge = "u".repeat(11_000);

  it.each([["open", { mode: "open" }], ["closed", { mode: "closed" }]])("failure_policy %s, backend timing out: 403 at once, no call", async (_, policy) => {
    p = await plugin(withBackend({}, { failure_policy: policy }));
    p.answer = "timeout";
    const r = await get(p, `/?user_key=${huge}`);
    expect([r.outcome, r.status, r.details, r.httpCalls]).toEqual(["local_reply", 403, "authrep_credential_too_large", []]);
    expect(p.host.metric("authrep_wasm.failure_policy.opened")?.value ?? 0).toBe(0);
  });

  it("open + stale with the cache: refused before the cache, never recorded or reported", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 }, services: [userService()], failure_policy: { mode: "open", stale_seconds: 60 } }));
    g.backend = () => "refused";
    expect((await user(g, "k")).outcome).toBe("continue"); // the backend cannot be reached: let through, to be reported
    const r = await user(g, huge);
    expect([r.status, r.details, r.httpCalls]).toEqual([403, "authrep_credential_too_large", []]);
    g.backend = () => ({ status: 202 });
    await g.advance(5_000);
    const bodies = g.reports().map((c) => String(c.body));
    expect(bodies.join("")).toContain("user_key%5D=k&");
    expect(bodies.join("")).not.toContain("uuuu");
    expect([g.metric("requests.denied.credentials_too_large"), g.metric("failure_policy.opened")]).toEqual([1, 1]);
    expect(g.authreps().every((c) => !(header(c, ":path") ?? "").includes("uuuu"))).toBe(true);
  });
});
