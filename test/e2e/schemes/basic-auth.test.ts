// examples/basic-auth: `Authorization: Basic …` gives app_id and app_key (docs/operations.md §6.1,
// with the scheme checked case-insensitively and standard Base64).
import { describe, expect, it } from "vitest";
import { envoyBin } from "../support";
import { DENIED, MISSING, passed, useScheme, variantsOf } from "./support";

const KEY = "op:en~~~se???"; // ":" inside, and its Base64 has "+" and "/"
const basic = (scheme: string, userPass: string) => ({ authorization: `${scheme} ${Buffer.from(userPass).toString("base64")}` });

describe.skipIf(!envoyBin).each(variantsOf("basic-auth"))("examples/basic-auth (%s)", (variant) => {
  const call = useScheme("basic-auth", variant);

  it("needs standard Base64 for this key (the precondition of the cases below)", () => {
    expect(basic("Basic", `aladdin:${KEY}`).authorization).toMatch(/[+/]/);
  });

  it.each(["Basic", "basic", "BASIC"])("splits %s credentials on the first colon only", async (scheme) => {
    expect(await call("/", basic(scheme, `aladdin:${KEY}`))).toEqual({ ...passed("/"), backend: [{ app_id: "aladdin", app_key: KEY }] });
  });

  it("sends a wrong password to the backend, which denies it (403)", async () => {
    expect(await call("/", basic("Basic", "aladdin:guess"))).toEqual({ ...DENIED, backend: [{ app_id: "aladdin", app_key: "guess" }] });
  });

  it.each([
    ["another scheme", basic("Bearer", `aladdin:${KEY}`)],
    ["a scheme word alone", { authorization: "Basic" }],
    ["credentials that are not Base64", { authorization: "Basic aladdin:secret" }],
    ["no header", {}],
  ])("finds no credentials with %s", async (_, headers) => {
    expect(await call("/", headers)).toEqual(MISSING);
  });
});
