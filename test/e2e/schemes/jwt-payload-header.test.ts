// examples/jwt-payload-header: jwt_authn forwards the verified payload in x-jwt-payload
// (unpadded base64url); the filter decodes it with base64_urlsafe_optional_padding.
import { describe, expect, it } from "vitest";
import { envoyBin } from "../support";
import { itRejectsInvalidTokens } from "./jwt-cases";
import { AUDIENCE, bearer, claims, newKey, signJwt, useJwks } from "../../support/jwt";
import { DENIED, MISSING, passed, useScheme, variantsOf } from "./support";

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** valid claims whose base64url form needs padding (a `jti` of the right length) */
function unpaddedClaims(c: Record<string, unknown>): Record<string, unknown> {
  for (let jti = "j"; ; jti += "j") {
    const all = claims({ ...c, jti });
    if (b64url(all).length % 4 !== 0) return all;
  }
}

/** without a token: Istio's AuthorizationPolicy (RBAC) denies it; the standalone jwt_authn requires one */
const NO_TOKEN = {
  "wasmplugin.yaml": { status: 403, body: "RBAC: access denied", backend: [] },
  "envoy.yaml": { status: 401, body: "Jwt is missing", backend: [] },
};

describe.skipIf(!envoyBin).each(variantsOf("jwt-payload-header"))("examples/jwt-payload-header (%s)", (variant) => {
  const key = newKey("k1");
  const jwks = useJwks([key]);
  const call = useScheme("jwt-payload-header", variant, () => jwks().port);

  it("decodes the unpadded payload header and takes app_id from azp", async () => {
    const payload = unpaddedClaims({ azp: "client-a" });
    const r = await call("/", bearer(signJwt(key, payload)));
    expect(r).toEqual({ ...passed("/"), backend: [{ app_id: "client-a" }] });
    // what Envoy forwarded (the upstream echoes it): unpadded, so base64_urlsafe would fail
    expect(JSON.parse(r.body).headers["x-jwt-payload"]).toBe(b64url(payload));
  });

  it("ignores a client's own x-jwt-payload: jwt_authn replaces it", async () => {
    const headers = { ...bearer(signJwt(key, claims({ azp: "client-a" }))), "x-jwt-payload": b64url({ azp: "client-b" }) };
    expect(await call("/", headers)).toEqual({ ...passed("/"), backend: [{ app_id: "client-a" }] });
  });

  it("never lets a forged x-jwt-payload without a token reach the filter", async () => {
    expect(await call("/", { "x-jwt-payload": b64url({ azp: "client-b" }) })).toEqual(NO_TOKEN[variant]);
  });

  it("finds no credentials when the only aud is a list (json yields strings only)", async () => {
    expect(await call("/", bearer(signJwt(key, claims({ aud: ["client-b", AUDIENCE] }))))).toEqual(MISSING);
  });

  it("sends a valid token of an unknown application to the backend, which denies it (403)", async () => {
    const token = signJwt(key, claims({ azp: "stranger" }));
    expect(await call("/", bearer(token))).toEqual({ ...DENIED, backend: [{ app_id: "stranger" }] });
  });

  itRejectsInvalidTokens(call, key, { azp: "client-a" });
});
