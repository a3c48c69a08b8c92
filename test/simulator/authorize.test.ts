// A.5: processing order of authorize/authrep, with the errors and denials of A.11.
import { describe, expect, it } from "vitest";
import type { SeedService } from "../../tools/simulator/seed";
import { appIdService, authorizeCall, authrep, errorOf, reasonOf, simulator, transaction } from "./support";

const userKeyService = (overrides: Partial<SeedService> = {}) =>
  appIdService({ mode: "1", applications: [{ id: "uk-app", userKey: "uk1", keys: ["ignored-key"] }], ...overrides });

describe("application lookup (steps 2–5)", () => {
  it("requires app_id on the OAuth endpoints, before anything else about the application", async () => {
    const sim = await simulator();
    const answer = await transaction(sim, "oauth_authrep", { user_key: "uk1" });
    expect([answer.status, errorOf(answer)]).toEqual([404, { code: "application_not_found", message: "application id is missing" }]);
  });

  it("refuses app_id together with user_key, whatever the service mode", async () => {
    for (const service of [appIdService(), userKeyService()]) {
      const sim = await simulator({ services: [service] });
      const answer = await authrep(sim, { app_id: "app1", user_key: "uk1" });
      expect([answer.status, errorOf(answer)]).toEqual([403, {
        code: "authentication_error", message: "either app_id or user_key is allowed, not both",
      }]);
    }
  });

  it("looks applications of user-key services up by user_key", async () => {
    const sim = await simulator({ services: [userKeyService()] });
    expect((await authrep(sim, { user_key: "uk1" })).status).toBe(200);
    const unknown = await authrep(sim, { user_key: "nope" });
    expect([unknown.status, errorOf(unknown)]).toEqual([403, { code: "user_key_invalid", message: 'user key "nope" is invalid' }]);
    const missing = await authrep(sim, { app_id: "uk-app" });
    expect(errorOf(missing)).toEqual({ code: "user_key_invalid", message: "user key is missing" });
  });

  it("looks applications of app-id services up by app_id, ignoring user_key", async () => {
    const sim = await simulator();
    const unknown = await authrep(sim, { app_id: "boo" });
    expect([unknown.status, errorOf(unknown)]).toEqual([404, {
      code: "application_not_found", message: 'application with id="boo" was not found',
    }]);
    const userKeyOnly = await authrep(sim, { user_key: "app1" });
    expect(errorOf(userKeyOnly)).toEqual({ code: "application_not_found", message: "application id is missing" });
  });

  it("with no_body, resolves usage metrics before validating keys", async () => {
    const sim = await simulator();
    const noBody = await authrep(sim, { app_id: "app1", app_key: "wrong", "usage[nope]": "1" }, "no_body=1");
    expect([noBody.status, noBody.body]).toEqual([404, ""]);
    const withBody = await authrep(sim, { app_id: "app1", app_key: "wrong", "usage[nope]": "1" });
    expect([withBody.status, reasonOf(withBody)]).toEqual([409, 'application key "wrong" is invalid']);
  });
});

describe("validators (step 7)", () => {
  it("denies a missing, empty or wrong application key", async () => {
    const sim = await simulator();
    expect(reasonOf(await authrep(sim, { app_id: "app1" }))).toBe("application key is missing");
    expect(reasonOf(await authrep(sim, { app_id: "app1", app_key: "" }))).toBe("application key is missing");
    const wrong = await authrep(sim, { app_id: "app1", app_key: "nope" });
    expect([wrong.status, reasonOf(wrong)]).toEqual([409, 'application key "nope" is invalid']);
    expect((await authrep(sim, { app_id: "app1", app_key: "+key1+" })).status).toBe(200);
  });

  it("lets applications without keys in without app_key, and ignores keys on user-key services", async () => {
    const keyless = await simulator({ services: [appIdService({ applications: [{ id: "app1" }] })] });
    expect((await authrep(keyless, { app_id: "app1" })).status).toBe(200);
    const userKey = await simulator({ services: [userKeyService()] });
    expect((await authrep(userKey, { user_key: "uk1", app_key: "wrong" })).status).toBe(200);
  });

  it("checks the key of an OAuth/OIDC service on authrep.xml only when app_key is given", async () => {
    const sim = await simulator({ services: [appIdService({ mode: "oauth" })] });
    expect((await authrep(sim, { app_id: "app1" })).status).toBe(200);
    expect(reasonOf(await authrep(sim, { app_id: "app1", app_key: "wrong" }))).toBe('application key "wrong" is invalid');
  });

  it("matches referrers against anchored glob filters when the service requires them", async () => {
    const apps = [{ id: "app1", keys: ["key1"], referrerFilters: ["*.example.com", "api.foo.org"] }];
    const sim = await simulator({ services: [appIdService({ referrerFiltersRequired: true, applications: apps })] });
    const call = (referrer?: string) => authrep(sim, { app_id: "app1", app_key: "key1", referrer });
    expect((await call("www.example.com")).status).toBe(200);
    expect((await call("api.foo.org")).status).toBe(200);
    expect((await call("*")).status).toBe(200);
    expect(reasonOf(await call("api.foo.org.evil.com"))).toBe('referrer "api.foo.org.evil.com" is not allowed');
    expect(reasonOf(await call())).toBe("referrer is missing");

    const notRequired = await simulator({ services: [appIdService({ applications: apps })] });
    expect((await authrep(notRequired, { app_id: "app1", app_key: "key1" })).status).toBe(200);
  });

  it("denies inactive applications and services", async () => {
    const suspended = await simulator({ services: [appIdService({ applications: [{ id: "app1", state: "suspended" }] })] });
    expect(reasonOf(await authrep(suspended, { app_id: "app1" }))).toBe("application is not active");
    const inactive = await simulator({ services: [appIdService({ active: false })] });
    expect(reasonOf(await authrep(inactive, { app_id: "app1", app_key: "key1" }))).toBe("service is not active");
  });

  it("runs key, referrer, application state, service state and limits in that order", async () => {
    const failing = (app: Record<string, unknown>, service: Partial<SeedService> = {}) => simulator({
      services: [appIdService({
        referrerFiltersRequired: true, active: false, ...service,
        plans: [{ name: "Basic", limits: [{ metric: "hits", period: "day", max: 0 }] }],
        applications: [{ id: "app1", keys: ["key1"], referrerFilters: ["ok.com"], state: "suspended", ...app }],
      })],
    });
    const reasons: unknown[] = [];
    for (const sim of [
      await failing({}),
      await failing({ keys: [] }),
      await failing({ keys: [], referrerFilters: [] }),
      await failing({ keys: [], referrerFilters: [], state: "active" }),
      await failing({ keys: [], referrerFilters: [], state: "active" }, { active: true }),
    ]) {
      const answer = await authrep(sim, { app_id: "app1", app_key: "bad", "usage[hits]": "1" }, "rejection_reason_header=1");
      reasons.push(answer.headers["3scale-rejection-reason"]);
    }
    expect(reasons).toEqual([
      "application_key_invalid", "referrer_not_allowed", "application_not_active", "service_not_active", "limits_exceeded",
    ]);
  });

  it("parses usage values while evaluating limits, after the other validators", async () => {
    const sim = await simulator();
    const call = (usage: string) => authrep(sim, { app_id: "app1", app_key: "key1", [`usage[hits]`]: usage });
    const negative = await call("-1");
    expect([negative.status, errorOf(negative)]).toEqual([403, {
      code: "usage_value_invalid", message: 'usage value "-1" for metric "hits" is invalid',
    }]);
    expect(errorOf(await call(""))?.message).toBe('usage value for metric "hits" can not be empty');
    expect(errorOf(await call("+"))?.message).toBe('usage value for metric "hits" can not be empty');
    expect(errorOf(await call("1.5"))?.code).toBe("usage_value_invalid");
    expect((await call("+3+")).status).toBe(200);
    expect((await call("%235")).status).toBe(200);
    const unknown = await authrep(sim, { app_id: "app1", app_key: "key1", "usage[nope]": "1" });
    expect([unknown.status, errorOf(unknown)]).toEqual([404, { code: "metric_invalid", message: 'metric "nope" is invalid' }]);
    const deniedFirst = await authrep(sim, { app_id: "app1", app_key: "bad", "usage[hits]": "-1" });
    expect(deniedFirst.status).toBe(409);
  });
});

describe("OAuth endpoints", () => {
  const oauthService = (mode: "oauth" | "2" = "oauth") =>
    appIdService({ mode, applications: [{ id: "app1", keys: ["key1", "key2"], redirectUrl: "https://app.example.com/cb" }] });

  it("deny services that are not in OAuth mode", async () => {
    const sim = await simulator({ services: [oauthService("2")] });
    const answer = await transaction(sim, "oauth_authorize", { app_id: "app1", app_key: "key1" });
    expect([answer.status, reasonOf(answer)]).toEqual([409, "oauth is not enabled"]);
  });

  it("check the key only when given, then the redirect URL (redirect_url first)", async () => {
    const sim = await simulator({ services: [oauthService()] });
    const call = (params: Record<string, string>) => transaction(sim, "oauth_authrep", { app_id: "app1", ...params });
    expect((await call({})).status).toBe(200);
    expect(reasonOf(await call({ app_key: "nope" }))).toBe('application key "nope" is invalid');
    expect((await call({ redirect_uri: "https://app.example.com/cb" })).status).toBe(200);
    const badUri = await call({ redirect_uri: "https://evil.com" });
    expect([reasonOf(badUri), badUri.status]).toEqual(['redirect_uri "https://evil.com" is invalid', 409]);
    const badUrl = await call({ redirect_uri: "https://evil.com", redirect_url: "https://evil.org" });
    expect(reasonOf(badUrl)).toBe('redirect_url "https://evil.org" is invalid');
  });

  it("describe the application in the body, naming the redirect element after the parameter used", async () => {
    const sim = await simulator({ services: [oauthService()] });
    const plain = await transaction(sim, "oauth_authorize", { app_id: "app1" });
    expect(plain.body).toContain(
      "<application><id>app1</id><key>key1</key><redirect_url>https://app.example.com/cb</redirect_url></application><plan>");
    const uri = await transaction(sim, "oauth_authorize", { app_id: "app1", redirect_uri: "https://app.example.com/cb" });
    expect(uri.body).toContain("<redirect_uri>https://app.example.com/cb</redirect_uri></application>");
    expect((await authrep(sim, { app_id: "app1" })).body).not.toContain("<application>");
  });
});

describe("recording (steps 8–9)", () => {
  it("records authorized authreps only; authorize and denials record nothing", async () => {
    const sim = await simulator();
    await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "2" });
    await authorizeCall(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "5" });
    await authrep(sim, { app_id: "app1", app_key: "wrong", "usage[hits]": "7" });
    await transaction(sim, "oauth_authrep", { app_id: "app1", app_key: "key1", "usage[hits]": "11" }); // oauth_not_enabled
    expect(sim.usage("7", "app1", "hits")).toBe(2);
    expect(sim.totalUsage("hits")).toBe(2);
  });
});
