// examples/oidc-jwt: jwt_authn validates RS256 tokens against the test's remote JWKS; the
// filter takes app_id from `azp`, else the head of `aud`, in the jwt_authn metadata.
import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { envoyBin } from "../support";
import { itRejectsInvalidTokens } from "./jwt-cases";
import { AUDIENCE, bearer, claims, newKey, signJwt, useJwks } from "../../support/jwt";
import { DENIED, MISSING, passed, useScheme, type Exchange, variantsOf } from "./support";

/** repeats `call` until `done` holds (jwt_authn caches the JWKS per worker for cache_duration) */
async function until(call: () => Promise<Exchange>, done: (r: Exchange) => boolean): Promise<Exchange> {
  for (let i = 0; ; i++) {
    const r = await call();
    if (done(r) || i === 40) return r;
    await sleep(250);
  }
}

describe.skipIf(!envoyBin).each(variantsOf("oidc-jwt"))("examples/oidc-jwt (%s)", (variant) => {
  const k1 = newKey("k1");
  const jwks = useJwks([k1]);
  const call = useScheme("oidc-jwt", variant, () => jwks().port);

  it("takes app_id from azp", async () => {
    const token = signJwt(k1, claims({ azp: "client-a", aud: [AUDIENCE, "client-b"] }));
    expect(await call("/orders", bearer(token))).toEqual({ ...passed("/orders"), backend: [{ app_id: "client-a" }] });
  });

  it("falls back to the head of aud; its second element does not become the app_key", async () => {
    const token = signJwt(k1, claims({ aud: ["client-b", AUDIENCE] }));
    expect(await call("/", bearer(token))).toEqual({ ...passed("/"), backend: [{ app_id: "client-b" }] });
  });

  it("sends a valid token of an unknown application to the backend, which denies it (403)", async () => {
    const token = signJwt(k1, claims({ azp: "stranger" }));
    expect(await call("/", bearer(token))).toEqual({ ...DENIED, backend: [{ app_id: "stranger" }] });
  });

  it("lets a request without a token reach the filter, which finds no credentials", async () => {
    expect(await call("/")).toEqual(MISSING);
  });

  itRejectsInvalidTokens(call, k1, { azp: "client-a" });

  // last: it changes the published keys
  it("accepts a token of a new key once the JWKS publishes it, and then rejects the old key", async () => {
    const k2 = newKey("k2");
    const fresh = bearer(signJwt(k2, claims({ azp: "client-rotated" })));
    const old = bearer(signJwt(k1, claims({ azp: "client-a" })));
    expect(await call("/", fresh)).toEqual({ status: 401, body: "Jwks doesn't have key to match kid or alg from Jwt", backend: [] });
    jwks().publish([k2]);
    expect(await until(() => call("/", fresh), (r) => r.status !== 401)).toEqual({ ...passed("/"), backend: [{ app_id: "client-rotated" }] });
    expect(await until(() => call("/", old), (r) => r.status === 401)).toMatchObject({ status: 401, backend: [] });
  });
});
