// Cases shared by the JWT examples: tokens Envoy's jwt_authn rejects before our filter runs, so
// the backend receives nothing. Envoy answers 401, except 403 for a wrong audience (measured).
import { expect, it } from "vitest";
import { bearer, claims, newKey, signJwt, type SigningKey } from "../../support/jwt";
import type { Call } from "./support";

let forger: SigningKey | undefined;

const hourAgo = () => Math.floor(Date.now() / 1000) - 3600;

/** `key`: one the JWKS publishes; `valid`: the claims this example needs besides iss/aud/exp */
export function itRejectsInvalidTokens(call: Call, key: SigningKey, valid: Record<string, unknown>): void {
  it.each([
    ["expired", () => signJwt(key, claims({ ...valid, iat: hourAgo() - 600, exp: hourAgo() })), 401, "Jwt is expired"],
    ["of another issuer", () => signJwt(key, claims({ ...valid, iss: "https://idp.evil.example" })), 401, "Jwt issuer is not configured"],
    ["for another audience", () => signJwt(key, claims({ ...valid, aud: "other-api" })), 403, "Audiences in Jwt are not allowed"],
    // the published key's kid, another private key
    ["with a bad signature", () => signJwt(key, claims(valid), (forger ??= newKey("forger")).privateKey), 401, "Jwt verification fails"],
  ])("jwt_authn rejects a token %s", async (_, token, status, body) => {
    expect(await call("/", bearer(token()))).toEqual({ status, body, backend: [] });
  });
}
