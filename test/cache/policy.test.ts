// The failure policy: what a request gets when the backend cannot answer (no answer, a 5xx —
// Envoy's local 503/504 included — or a status neither 2xx nor 4xx). Closed (default): the
// reference's reply; a stale authorization within `stale_seconds`; open: allowed and, with the
// cache, recorded for the reports (else counted as unreported). Per-service policies override.
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer } from "../../tools/host/types";
import { app, appService, cachedConfig, gateway, isReport, reportParams, user, USER_SERVICE, userService, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

/** backend failures and the reply a closed policy gives (the reference's) */
const FAILURES: [string, CallAnswer, number, string][] = [
  ["no answer (reset)", "reset", 502, "authrep_backend_unavailable"],
  ["connection refused (Envoy's local 503)", "refused", 403, "authrep_denied_503"],
  ["timeout (Envoy's local 504)", "timeout", 403, "authrep_denied_504"],
  ["a 500", { status: 500 }, 403, "authrep_denied_500"],
  ["a 302", { status: 302 }, 403, "authrep_denied_302"],
  ["a non-numeric status", { headers: [[":status", "2x0"]] }, 403, "authrep_denied_invalid_status"],
];

const reportedHits = (g: Gateway) =>
  g.reports().map(reportParams).reduce((n, p) => n + Number(p.get("transactions[0][usage][hits]") ?? 0), 0);

describe("failure policy closed (the default)", () => {
  for (const [name, answer, status, details] of FAILURES) {
    it(`answers ${name} with the reference's reply, with or without the cache`, async () => {
      for (const cache of [null, {}]) {
        g = await gateway(cachedConfig({ cache }));
        g.backend = () => answer;
        const r = await user(g, "k");
        expect([r.status, r.details]).toEqual([status, details]);
        expect(g.metric("failure_policy.opened")).toBe(0);
        await g.close();
        g = undefined;
      }
    });
  }

  it("does not cache a failure: the next request asks the backend again", async () => {
    g = await gateway(cachedConfig());
    g.backend = () => ({ status: 503 });
    await user(g, "k");
    g.backend = () => ({ status: 200 });
    expect((await user(g, "k", { worker: 1 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(2);
  });

  it("keeps using a fresh authorization while the backend is down", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 2 } }));
    await user(g, "k");
    g.backend = () => "refused";
    for (const worker of [0, 1, 0, 1]) expect((await user(g, "k", { worker })).status).toBe(200);
    expect(g.authreps()).toHaveLength(1);
  });

  it("applies to a 4xx only as the backend's decision, never as a failure", async () => {
    g = await gateway(cachedConfig({ failure_policy: { mode: "open" } }));
    g.backend = () => ({ status: 404 });
    const r = await user(g, "k");
    expect([r.status, r.details]).toEqual([403, "authrep_denied_404"]);
    expect(g.metric("failure_policy.opened")).toBe(0);
  });
});

describe("failure policy open", () => {
  for (const [name, answer] of FAILURES.filter(([, a]) => a !== "timeout")) {
    it(`lets the request through on ${name} and reports it once the backend is back`, async () => {
      g = await gateway(cachedConfig({ cache: { report_interval: 5 }, failure_policy: { mode: "open" } }));
      g.backend = () => answer;
      for (const worker of [0, 1, 0]) expect((await user(g, "k", { worker })).status).toBe(200);
      expect(g.authreps()).toHaveLength(3); // a failure is not cached
      expect(g.metric("failure_policy.opened")).toBe(3);
      expect(g.metric("usage.unreported")).toBe(0);
      g.backend = () => ({ status: 200 });
      await g.advance(5_000);
      expect(reportedHits(g)).toBe(3);
    });
  }

  it("without the cache, lets the request through and counts it as unreported", async () => {
    g = await gateway(cachedConfig({ cache: null, failure_policy: { mode: "open" } }));
    g.backend = () => "refused";
    expect((await user(g, "k")).status).toBe(200);
    expect((await user(g, "k")).status).toBe(200);
    expect([g.metric("failure_policy.opened"), g.metric("usage.unreported")]).toEqual([2, 2]);
    g.backend = () => ({ status: 200 });
    await g.advance(30_000);
    expect(g.reports()).toHaveLength(0);
  });

  // the choice: a request whose authrep timed out is never counted twice (the call reached the
  // backend, which records it), every other failure is never lost
  for (const [policy, cache] of [[{ mode: "open" }, { report_interval: 5 }], [{ stale_seconds: 60 }, { report_interval: 5, authorization_ttl: 1 }], [{ mode: "open" }, null]] as const) {
    it(`counts a request whose authrep timed out once, as the backend recorded it (${JSON.stringify(policy)}, ${cache ? "cache" : "no cache"})`, async () => {
      g = await gateway(cachedConfig({ cache, failure_policy: policy }), { simulator: true });
      if ("stale_seconds" in policy) expect((await user(g, "uk-1")).status).toBe(200); // an authorization to serve stale
      const before = g.sim!.usage(USER_SERVICE, "uk-1", "hits");
      await g.advance(1_000);
      // the simulator records the authrep, its answer comes after the timeout
      g.backend = async (call) => (isReport(call) ? g!.forward(call) : (await g!.forward(call), "timeout"));
      for (const worker of [0, 1, 0]) expect((await user(g, "uk-1", { worker })).status).toBe(200);
      expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(before + 3);
      g.backend = g.forward;
      await g.advance(20_000);
      expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(before + 3);
      expect(g.metric("usage.unreported")).toBe(0);
    });
  }

  it("records a request whose authrep got no answer (reset): never lost", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 }, failure_policy: { mode: "open" } }), { simulator: true });
    g.backend = (call) => (isReport(call) ? g!.forward(call) : "reset");
    for (const worker of [0, 1, 0]) expect((await user(g, "uk-1", { worker })).status).toBe(200);
    g.backend = g.forward;
    await g.advance(10_000);
    expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(3);
  });

  it("lets the request through when the host refuses the dispatch (unknown cluster)", async () => {
    const cfg = cachedConfig({ failure_policy: { mode: "open" } });
    (cfg.backend as { upstream: { name: string } }).upstream.name = "no-such-cluster";
    g = await gateway(cfg);
    const r = await user(g, "k");
    expect(r.status).toBe(200);
    expect(g.metric("failure_policy.opened")).toBe(1);
  });

  it("still denies what the backend denies", async () => {
    g = await gateway(cachedConfig({ failure_policy: { mode: "open" } }));
    g.backend = () => ({ status: 403, headers: [["3scale-rejection-reason", "user_key_invalid"]] });
    expect((await user(g, "k")).status).toBe(403);
  });
});

describe("stale authorizations", () => {
  it("serves an expired authorization for stale_seconds after it expired, then fails closed", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 5, report_interval: 3600 }, failure_policy: { stale_seconds: 10 } }));
    expect((await user(g, "k")).status).toBe(200);
    g.backend = () => "refused";
    await g.advance(5_000); // expired: asked again, the backend is down
    const stale = await user(g, "k", { worker: 1 });
    expect(stale.status).toBe(200);
    expect(g.authreps()).toHaveLength(2);
    await g.advance(10_000); // expiry + stale_seconds: the last moment it is served
    expect((await user(g, "k")).status).toBe(200);
    await g.advance(1);
    const closed = await user(g, "k");
    expect([closed.status, closed.details]).toEqual([403, "authrep_denied_503"]);
    expect(g.metric("failure_policy.stale_served")).toBe(2);
  });

  it("keeps a valid key's stale authorization when many colliding invalid keys are denied", async () => {
    // 16 slots: 64 denials land on every slot, the valid key's included
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 5, max_entries: 16, report_interval: 5 }, failure_policy: { stale_seconds: 300 } }), { simulator: true });
    expect((await user(g, "uk-1")).status).toBe(200);
    const invalid = Array.from({ length: 64 }, (_, i) => `invalid-${i}-${(i * 2654435761) % 1000003}`);
    for (const key of invalid) expect((await user(g, key, { worker: 0 })).details).toBe("authrep_denied_403");
    await g.advance(5_000);
    g.backend = () => "refused";
    for (const worker of [0, 1]) expect((await user(g, "uk-1", { worker })).status).toBe(200);
    expect(g.metric("failure_policy.stale_served")).toBe(2);
    g.backend = g.forward;
    await g.advance(10_000);
    expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(3);
  });

  it("records what it serves stale and reports it", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 2, report_interval: 10 }, failure_policy: { stale_seconds: 30 } }));
    await user(g, "k");
    g.backend = (call) => (call.body && String(call.body).length ? { status: 200 } : "reset");
    await g.advance(3_000);
    for (const worker of [0, 1, 0, 1]) expect((await user(g, "k", { worker })).status).toBe(200);
    await g.advance(10_000);
    expect(reportedHits(g)).toBe(4);
  });

  it("never serves a stale denial", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 2 }, failure_policy: { mode: "closed", stale_seconds: 60 } }));
    g.backend = () => ({ status: 403 });
    await user(g, "k");
    g.backend = () => "reset";
    await g.advance(2_000);
    const r = await user(g, "k");
    expect([r.status, r.details]).toEqual([502, "authrep_backend_unavailable"]);
    expect(g.metric("failure_policy.stale_served")).toBe(0);
  });

  it("prefers a stale authorization to failing open", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 2 }, failure_policy: { mode: "open", stale_seconds: 60 } }));
    await user(g, "k");
    g.backend = () => "timeout";
    await g.advance(2_000);
    expect((await user(g, "k")).status).toBe(200);
    expect((await user(g, "other")).status).toBe(200);
    expect([g.metric("failure_policy.stale_served"), g.metric("failure_policy.opened")]).toEqual([1, 1]);
  });
});

describe("per-service failure policies", () => {
  it("overrides a closed top level with an open service", async () => {
    g = await gateway(cachedConfig({ services: [userService(), appService({ failure_policy: { mode: "open" } })] }));
    g.backend = () => "refused";
    expect((await user(g, "k")).status).toBe(403);
    expect((await app(g, "app-1", "key-1")).status).toBe(200);
  });

  it("overrides an open top level with a closed service", async () => {
    g = await gateway(cachedConfig({ failure_policy: { mode: "open" }, services: [userService({ failure_policy: { mode: "closed" } }), appService()] }));
    g.backend = () => "reset";
    expect((await user(g, "k")).status).toBe(502);
    expect((await app(g, "app-1", "key-1")).status).toBe(200);
  });

  it("replaces the whole top-level policy: a service without stale_seconds serves nothing stale", async () => {
    g = await gateway(cachedConfig({
      cache: { authorization_ttl: 1 },
      failure_policy: { stale_seconds: 60 },
      services: [userService({ failure_policy: { mode: "closed" } }), appService()],
    }));
    await user(g, "k");
    await app(g, "app-1", "key-1");
    g.backend = () => "refused";
    await g.advance(1_000);
    expect((await user(g, "k")).status).toBe(403);
    expect((await app(g, "app-1", "key-1")).status).toBe(200);
  });

  it("serves stale per service", async () => {
    g = await gateway(cachedConfig({
      cache: { authorization_ttl: 1 },
      services: [userService({ failure_policy: { stale_seconds: 60 } }), appService()],
    }));
    await user(g, "k");
    await app(g, "app-1", "key-1");
    g.backend = () => "refused";
    await g.advance(1_000);
    expect((await user(g, "k")).status).toBe(200);
    expect((await app(g, "app-1", "key-1")).status).toBe(403);
  });
});

describe("failure policy open with the cache", () => {
  it("keeps denying a key the backend last denied (APIcast's allow mode), whatever the entry's age", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 5 }, failure_policy: { mode: "open" } }));
    g.backend = () => ({ status: 403, headers: [["3scale-rejection-reason", "user_key_invalid"]] });
    expect((await user(g, "revoked")).status).toBe(403);
    await g.advance(60_000);
    g.backend = () => "refused";
    expect((await user(g, "revoked")).status).toBe(403);
    expect((await user(g, "never-seen")).status).toBe(200);
    expect(g.metric("failure_policy.opened")).toBe(1);
  });
});

