// A.3: caller authentication and service lookup, in order.
import { describe, expect, it } from "vitest";
import { appIdService, authrep, errorOf, PROVIDER_KEY, request, simulator } from "./support";

const secondProvider = appIdService({ id: "8", providerKey: "pk-8", tokens: ["tok-8"], applications: [{ id: "app8" }] });

async function sim() {
  return simulator({
    services: [appIdService(), secondProvider, appIdService({ id: "9", providerKey: "pk-nodefault", tokens: [] })],
    providers: [{ key: "pk-nodefault", defaultService: null }],
  });
}

describe("caller authentication", () => {
  it("accepts a service token valid for the service", async () => {
    expect((await authrep(await sim(), { app_id: "app1", app_key: "key1" })).status).toBe(200);
  });

  it("requires a provider key or a service token (403)", async () => {
    const answer = await authrep(await sim(), { service_token: undefined, app_id: "app1" });
    expect([answer.status, errorOf(answer)]).toEqual([403, {
      code: "provider_key_or_service_token_required", message: "Provider key or service token are required",
    }]);
    const empty = await authrep(await sim(), { service_token: "", app_id: "app1" });
    expect(errorOf(empty)?.code).toBe("provider_key_or_service_token_required");
  });

  it("requires service_id with a service token (422)", async () => {
    const answer = await authrep(await sim(), { service_id: undefined, app_id: "app1" });
    expect([answer.status, errorOf(answer)]).toEqual([422, { code: "service_id_missing", message: "Service ID is missing" }]);
  });

  it("rejects an unknown token, or a token of another service (403 service_token_invalid)", async () => {
    const s = await sim();
    const unknown = await authrep(s, { service_token: "nope", app_id: "app1" });
    const foreign = await authrep(s, { service_token: "tok-8", app_id: "app1" });
    expect([unknown.status, errorOf(unknown)]).toEqual([403, {
      code: "service_token_invalid", message: 'service token "nope" or service id "7" is invalid',
    }]);
    expect(errorOf(foreign)?.message).toBe('service token "tok-8" or service id "7" is invalid');
  });

  it("prefers provider_key over a service token, with the provider's default service", async () => {
    const s = await sim();
    const withKey = await authrep(s, { service_id: undefined, service_token: "wrong", provider_key: PROVIDER_KEY, app_id: "app1", app_key: "key1" });
    expect(withKey.status).toBe(200);
    const badKey = await authrep(s, { service_id: undefined, service_token: undefined, provider_key: "nope", app_id: "app1" });
    expect([badKey.status, errorOf(badKey)]).toEqual([403, {
      code: "provider_key_invalid_or_service_missing", message: 'provider key "nope" invalid and/or service ID missing',
    }]);
  });

  it("rejects a provider key without default service when service_id is absent", async () => {
    const answer = await authrep(await sim(), { service_id: undefined, service_token: undefined, provider_key: "pk-nodefault", app_id: "app1" });
    expect(errorOf(answer)?.code).toBe("provider_key_invalid_or_service_missing");
  });

  it("rejects a service of another provider (service_id_invalid) or with an unknown key (provider_key_invalid)", async () => {
    const s = await sim();
    const foreign = await authrep(s, { service_id: "8", service_token: undefined, provider_key: PROVIDER_KEY, app_id: "app8" });
    expect([foreign.status, errorOf(foreign)]).toEqual([403, { code: "service_id_invalid", message: 'service id "8" is invalid' }]);
    const unknownKey = await authrep(s, { service_id: "8", service_token: undefined, provider_key: "nope", app_id: "app8" });
    expect([unknownKey.status, errorOf(unknownKey)]).toEqual([403, { code: "provider_key_invalid", message: 'provider key "nope" is invalid' }]);
    const unknownService = await authrep(s, { service_id: "404", service_token: undefined, provider_key: PROVIDER_KEY, app_id: "app1" });
    expect(errorOf(unknownService)?.code).toBe("service_id_invalid");
  });

  it("then rejects user_id (400), then a usage that is not a hash (403, empty body)", async () => {
    const s = await sim();
    const userId = await authrep(s, { app_id: "app1", user_id: "u", usage: "5" });
    expect([userId.status, errorOf(userId)]).toEqual([400, {
      code: "end_users_no_longer_supported",
      message: "End-users are no longer supported, do not specify the user_id parameter",
    }]);
    const usage = await authrep(s, { app_id: "nope", usage: "5" });
    expect([usage.status, usage.body]).toEqual([403, ""]);
  });

  it("authenticates before checking user_id", async () => {
    const answer = await authrep(await sim(), { service_token: "nope", user_id: "u" });
    expect(errorOf(answer)?.code).toBe("service_token_invalid");
  });

  it("applies to the report endpoint too", async () => {
    const answer = await request(await sim(), "POST", "/transactions.xml", { body: "service_id=7&transactions[0][app_id]=app1" });
    expect([answer.status, errorOf(answer)?.code]).toEqual([403, "provider_key_or_service_token_required"]);
  });
});
