// The authorization cache (docs/decision.md §5): one authrep per transaction key and TTL,
// shared by the workers; without `backend.cache` nothing changes (one authrep per request).
import { afterEach, describe, expect, it } from "vitest";
import { header } from "../support/module";
import {
  app, APP_SERVICE, authrepParams, cachedConfig, gateway, reportParams, user, USER_SERVICE, type Gateway,
} from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

describe("without backend.cache", () => {
  it("makes one authrep per request and never reports", async () => {
    g = await gateway(cachedConfig({ cache: null }));
    for (const worker of [0, 1, 0, 1]) expect((await user(g, "k", { worker })).status).toBe(200);
    await g.advance(60_000);
    expect(g.authreps()).toHaveLength(4);
    expect(g.reports()).toHaveLength(0);
    expect(header(g.authreps()[0]!, "3scale-options")).toBe("no_body=1&rejection_reason_header=1");
    for (const m of ["cache.hits", "cache.misses", "cache.coalesced", "reports.calls"]) expect(g.metric(m)).toBe(0);
  });

  it("answers a backend 5xx with the reference's reply and counts nothing as unreported", async () => {
    g = await gateway(cachedConfig({ cache: null }));
    g.backend = () => ({ status: 503 });
    const r = await user(g, "k");
    expect([r.status, r.details]).toEqual([403, "authrep_denied_503"]);
    expect(g.metric("usage.unreported")).toBe(0);
  });
});

describe("authorizations from the cache", () => {
  it("asks for limit headers, then lets the other worker use the first worker's authorization", async () => {
    g = await gateway(cachedConfig());
    const first = await user(g, "k", { worker: 0 });
    const second = await user(g, "k", { worker: 1 });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.outcome).toBe("continue");
    expect(second.outcome).toBe("continue");
    expect(g.authreps()).toHaveLength(1);
    expect(second.httpCalls).toHaveLength(0);
    expect(header(g.authreps()[0]!, "3scale-options")).toBe("no_body=1&rejection_reason_header=1&limit_headers=1");
    expect([g.metric("cache.misses"), g.metric("cache.hits")]).toEqual([1, 1]);
  });

  it("keeps an authorization for authorization_ttl (default 10 s), then authorizes again", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 3600 } }));
    await user(g, "k", { worker: 0 });
    await g.advance(9_000);
    g.host.advance(999);
    await user(g, "k", { worker: 1 });
    expect(g.authreps()).toHaveLength(1);
    g.host.advance(1);
    await user(g, "k", { worker: 1 });
    expect(g.authreps()).toHaveLength(2);
    await user(g, "k", { worker: 0 });
    expect(g.authreps()).toHaveLength(2);
  });

  it("honours a configured authorization_ttl", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 3, report_interval: 3600 } }));
    await user(g, "k");
    await g.advance(2_000);
    await user(g, "k");
    expect(g.authreps()).toHaveLength(1);
    await g.advance(1_000);
    await user(g, "k");
    expect(g.authreps()).toHaveLength(2);
  });

  it("keys on the usage: another endpoint is another authorization", async () => {
    g = await gateway(cachedConfig());
    await user(g, "k", { path: "/a" });
    await user(g, "k", { path: "/b" }); // same usage (hits 1): same key
    expect(g.authreps()).toHaveLength(1);
    await user(g, "k", { path: "/products/1" });
    expect(g.authreps()).toHaveLength(2);
    expect(authrepParams(g.authreps()[1]!).get("usage[products]")).toBe("1");
    await user(g, "k", { path: "/products/2" });
    expect(g.authreps()).toHaveLength(2);
  });

  it("keys on the credentials: another user key, app id or app key is another authorization", async () => {
    g = await gateway(cachedConfig());
    await user(g, "k1");
    await user(g, "k2");
    await app(g, "app-1", "key-1");
    await app(g, "app-1", "wrong-key");
    await app(g, "app-1", null);
    await app(g, "app-2", "key-1");
    expect(g.authreps()).toHaveLength(6);
    await app(g, "app-1", "key-1", { worker: 1 });
    await app(g, "app-1", "wrong-key", { worker: 1 });
    await app(g, "app-1", null, { worker: 1 });
    await user(g, "k2", { worker: 1 });
    expect(g.authreps()).toHaveLength(6);
  });

  it("does not let a wrong app key ride on a right one's authorization", async () => {
    g = await gateway(cachedConfig());
    g.backend = (call) => (authrepParams(call).get("app_key") === "key-1" ? { status: 200 } : { status: 403, headers: [["3scale-rejection-reason", "user_key_invalid"]] });
    expect((await app(g, "app-1", "key-1")).status).toBe(200);
    expect((await app(g, "app-1", "nope")).status).toBe(403);
    expect((await app(g, "app-1", "nope", { worker: 1 })).status).toBe(403);
    expect((await app(g, "app-1", "key-1", { worker: 1 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(2);
  });

  it("does not cache a request whose key is too long to cache (each such request is synchronous)", async () => {
    g = await gateway(cachedConfig());
    const long = "k".repeat(1010); // within backend.limits' 1,024-byte credential, the key (with service id and usage) above 1 KiB
    await user(g, long);
    await user(g, long);
    expect(g.authreps()).toHaveLength(2);
    await g.advance(20_000);
    expect(g.reports()).toHaveLength(0);
  });

  it("reports what the cache allowed, one transaction per credential and the app key left out", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    for (let i = 0; i < 3; i++) await user(g, "k", { worker: i % 2 });
    for (let i = 0; i < 2; i++) await user(g, "k", { worker: i % 2, path: "/products/1" });
    for (let i = 0; i < 4; i++) await app(g, "app-1", "key-1", { worker: i % 2, path: "/double" });
    expect(g.reports()).toHaveLength(0);
    await g.advance(5_000);
    const byService = new Map(g.reports().map((c) => [reportParams(c).get("service_id"), c]));
    // each worker reports what it recorded: the service's transactions may come in two calls
    const sum = (service: string, name: string) =>
      g!.reports().map(reportParams).filter((p) => p.get("service_id") === service)
        .reduce((n, p) => n + [...p.entries()].filter(([k]) => k.endsWith(name)).reduce((s, [, v]) => s + Number(v), 0), 0);
    expect(byService.size).toBe(2);
    expect(sum(USER_SERVICE, "[usage][hits]")).toBe(2 + 1);
    expect(sum(USER_SERVICE, "[usage][products]")).toBe(1);
    expect(sum(APP_SERVICE, "[usage][hits]")).toBe(3 * 3);
    for (const call of g.reports()) {
      const p = reportParams(call);
      expect(header(call, ":path")).toBe("/transactions.xml");
      expect(header(call, ":authority")).toBe("su1.3scale.net");
      expect(header(call, "content-type")).toBe("application/x-www-form-urlencoded");
      expect(p.get("service_token")).toBe(p.get("service_id") === USER_SERVICE ? "st-6e2d" : "tok-7");
      expect([...p.keys()].some((k) => k.includes("app_key"))).toBe(false);
    }
    expect(g.metric("reports.requests")).toBe(2 + 1 + 3);
  });
});
