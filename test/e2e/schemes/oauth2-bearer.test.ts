// examples/oauth2-bearer: `Authorization: Bearer <token>` gives user_key, the scheme checked
// case-insensitively with the `replace` + `glob` recipe.
import { describe, expect, it } from "vitest";
import { envoyBin } from "../support";
import { DENIED, MISSING, passed, useScheme, variantsOf } from "./support";

const TOKEN = "Tok-BEAR-9f2c"; // upper-case scheme letters: only the scheme is lower-cased

describe.skipIf(!envoyBin).each(variantsOf("oauth2-bearer"))("examples/oauth2-bearer (%s)", (variant) => {
  const call = useScheme("oauth2-bearer", variant);

  it.each(["Bearer", "bearer", "BEARER", "bEaReR"])("takes the token after %s as user_key", async (scheme) => {
    expect(await call("/", { authorization: `${scheme} ${TOKEN}` })).toEqual({ ...passed("/"), backend: [{ user_key: TOKEN }] });
  });

  it("sends an unknown token to the backend, which denies it (403)", async () => {
    expect(await call("/", { authorization: "Bearer nope" })).toEqual({ ...DENIED, backend: [{ user_key: "nope" }] });
  });

  it.each([
    ["another scheme", `Basic ${TOKEN}`],
    ["a longer scheme word", `Bearers ${TOKEN}`],
    ["the scheme word alone", "Bearer"],
    ["an empty token", "Bearer "],
  ])("finds no credentials with %s", async (_, authorization) => {
    expect(await call("/", { authorization })).toEqual(MISSING);
  });
});
