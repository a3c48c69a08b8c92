// examples/oauth2-client-credentials: a jwt_authn-validated access token of the
// client-credentials grant; its `client_id` claim becomes app_id.
import { describe, expect, it } from "vitest";
import { envoyBin } from "../support";
import { itRejectsInvalidTokens } from "./jwt-cases";
import { bearer, claims, newKey, signJwt, useJwks } from "../../support/jwt";
import { DENIED, MISSING, passed, useScheme, variantsOf } from "./support";

describe.skipIf(!envoyBin).each(variantsOf("oauth2-client-credentials"))("examples/oauth2-client-credentials (%s)", (variant) => {
  const key = newKey("k1");
  const jwks = useJwks([key]);
  const call = useScheme("oauth2-client-credentials", variant, () => jwks().port);
  const token = (c: Record<string, unknown>) => bearer(signJwt(key, claims(c)));

  it("takes app_id from client_id", async () => {
    expect(await call("/reports", token({ client_id: "reporting-job", azp: "reporting-job", scope: "reports:read" })))
      .toEqual({ ...passed("/reports"), backend: [{ app_id: "reporting-job" }] });
  });

  it("finds no credentials in a token without client_id (e.g. a user's token)", async () => {
    expect(await call("/", token({ azp: "client-a", sub: "user-1" }))).toEqual(MISSING);
  });

  it("sends an unknown client_id to the backend, which denies it (403)", async () => {
    expect(await call("/", token({ client_id: "stranger" }))).toEqual({ ...DENIED, backend: [{ app_id: "stranger" }] });
  });

  itRejectsInvalidTokens(call, key, { client_id: "reporting-job" });
});
