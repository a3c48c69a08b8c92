// Denials in the cache (docs/decision.md §5): served without a call — 429 for a limit (no
// Retry-After), 403 otherwise — until the TTL, or for a limit until it resets if that is
// sooner; a denied request is never reported as usage.
import { afterEach, describe, expect, it } from "vitest";
import type { RequestResult } from "../../tools/host/types";
import { cachedConfig, gateway, USER_SERVICE, user, userService, appService, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const names = (r: RequestResult) => (r.replyHeaders ?? []).map(([n]) => String(n).toLowerCase());

describe("limit denials from the simulator (trial plan: 3 hits a minute)", () => {
  it("serves the 429 from the cache until the TTL when the limit resets later, and never reports it", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 20, report_interval: 5 } }), { simulator: true });
    for (const worker of [0, 1, 0]) expect((await user(g, "uk-trial", { worker })).status).toBe(200);
    expect(g.authreps()).toHaveLength(1);
    await g.advance(5_000); // the two cached requests are reported: 3 of 3 used
    expect(g.sim!.usage(USER_SERVICE, "uk-trial", "hits", "minute")).toBe(3);
    await g.advance(15_000); // t = 20 s: the authorization expired

    const denied = await user(g, "uk-trial", { worker: 0 });
    expect([denied.status, denied.details]).toEqual([429, "authrep_limits_exceeded"]);
    expect(g.authreps()).toHaveLength(2);
    const cached = await user(g, "uk-trial", { worker: 1 });
    expect([cached.status, cached.details]).toEqual([429, "authrep_limits_exceeded"]);
    expect(cached.httpCalls).toHaveLength(0);
    expect(names(cached)).not.toContain("retry-after");

    await g.advance(19_000);
    await g.advance(999); // t = 39.999 s: still the cached denial
    expect((await user(g, "uk-trial", { worker: 1 })).status).toBe(429);
    expect(g.authreps()).toHaveLength(2);
    await g.advance(1); // t = 40 s: the TTL is over, the limit is not: asked again
    expect((await user(g, "uk-trial", { worker: 0 })).status).toBe(429);
    expect(g.authreps()).toHaveLength(3);

    await g.advance(20_000); // t = 60 s: a new minute (the cached denial ends with it)
    expect((await user(g, "uk-trial", { worker: 1 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(4);
    await g.advance(10_000);
    expect(g.sim!.usage(USER_SERVICE, "uk-trial", "hits")).toBe(4);
    expect(g.metric("reports.requests")).toBe(2);
  });

  it("lifts a cached 429 when the limit resets, before the TTL", async () => {
    const rules = ["/one", "/two", "/three"].map((pattern, i) => ({ method: "GET", pattern, usages: [{ name: "hits", delta: i + 1 }] }));
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 120, report_interval: 5 }, services: [userService({ mapping_rules: rules })] }), { simulator: true });
    await g.advance(30_000);
    expect((await user(g, "uk-trial", { path: "/two" })).status).toBe(200); // 2 of 3
    expect((await user(g, "uk-trial", { path: "/three" })).status).toBe(429); // 5 > 3, resets in 30 s
    await g.advance(29_000);
    await g.advance(999);
    const cached = await user(g, "uk-trial", { path: "/three", worker: 1 });
    expect(cached.status).toBe(429);
    expect(cached.httpCalls).toHaveLength(0);
    await g.advance(1); // t = 60 s
    expect((await user(g, "uk-trial", { path: "/three", worker: 1 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(3);
    // /two was allowed with `3scale-limit-remaining: 0`: not reused, the backend is asked and denies
    expect((await user(g, "uk-trial", { path: "/two" })).status).toBe(429);
    expect(g.authreps()).toHaveLength(4);
    await g.advance(10_000);
    expect(g.sim!.usage(USER_SERVICE, "uk-trial", "hits")).toBe(2 + 3);
  });
});

describe("denials answered by a test backend", () => {
  it("serves a 403 from the cache with the backend's status in the details, until the TTL", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 5 } }));
    g.backend = () => ({ status: 403, headers: [["3scale-rejection-reason", "user_key_invalid"]] });
    const first = await user(g, "nope", { worker: 0 });
    const second = await user(g, "nope", { worker: 1 });
    expect([first.status, first.details]).toEqual([403, "authrep_denied_403"]);
    expect([second.status, second.details, second.httpCalls.length]).toEqual([403, "authrep_denied_403", 0]);
    await g.advance(5_000);
    g.backend = () => ({ status: 200 });
    expect((await user(g, "nope")).status).toBe(200);
    expect(g.authreps()).toHaveLength(2);
  });

  it("caches a limit denial without limit headers for the TTL", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 5 } }));
    g.backend = () => ({ status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] });
    expect((await user(g, "k")).status).toBe(429);
    await g.advance(4_000);
    expect((await user(g, "k", { worker: 1 })).status).toBe(429);
    expect(g.authreps()).toHaveLength(1);
    await g.advance(1_000);
    await user(g, "k");
    expect(g.authreps()).toHaveLength(2);
  });

  it("treats a disabled metric (limit 0) as a 403 and caches it as such", async () => {
    g = await gateway(cachedConfig());
    g.backend = () => ({ status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-max-value", "0"], ["3scale-limit-remaining", "0"], ["3scale-limit-reset", "40"]] });
    const first = await user(g, "k");
    const cached = await user(g, "k", { worker: 1 });
    expect([first.status, first.details]).toEqual([403, "authrep_denied_409"]);
    expect([cached.status, cached.details, cached.httpCalls.length]).toEqual([403, "authrep_denied_409", 0]);
  });

  it("gives Retry-After on the backend's 429 (rate_limit_headers) but not on the cached one", async () => {
    g = await gateway(cachedConfig({ services: [userService({ rate_limit_headers: true }), appService()] }));
    g.backend = () => ({ status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-max-value", "3"], ["3scale-limit-remaining", "0"], ["3scale-limit-reset", "40"]] });
    const first = await user(g, "k");
    const cached = await user(g, "k");
    expect([first.status, cached.status]).toEqual([429, 429]);
    expect(names(first)).toContain("retry-after");
    expect(names(cached)).not.toContain("retry-after");
    expect(g.authreps()).toHaveLength(1);
  });

  it("uses the configured limits reply for a cached limit denial", async () => {
    const replies = { limits_exceeded: { status: 418, body: "slow down\n" } };
    g = await gateway(cachedConfig({ services: [userService({ replies }), appService()] }));
    g.backend = () => ({ status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] });
    const first = await user(g, "k");
    const cached = await user(g, "k");
    expect([first.status, first.body]).toEqual([418, "slow down\n"]);
    expect([cached.status, cached.body]).toEqual([418, "slow down\n"]);
  });
});
