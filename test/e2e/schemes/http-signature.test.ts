// examples/http-signature: `Authorization: Signature keyId="…",…` gives app_id = keyId. The
// filter does NOT verify the signature (the last case shows it).
import { describe, expect, it } from "vitest";
import { envoyBin } from "../support";
import { DENIED, MISSING, passed, useScheme, variantsOf } from "./support";

const SIGNATURE = 'signature="c2lnbmF0dXJlIGJ5dGVz+/w=="';
const signed = (params: string, scheme = "Signature") => ({ authorization: `${scheme} ${params}` });

describe.skipIf(!envoyBin).each(variantsOf("http-signature"))("examples/http-signature (%s)", (variant) => {
  const call = useScheme("http-signature", variant);

  it.each([
    ["keyId first", `keyId="partner-17",algorithm="rsa-sha256",headers="(request-target) host date",${SIGNATURE}`],
    ["keyId last", `algorithm="rsa-sha256",headers="(request-target) host date",${SIGNATURE},keyId="partner-17"`],
  ])("takes app_id from the keyId (%s)", async (_, params) => {
    expect(await call("/", signed(params))).toEqual({ ...passed("/"), backend: [{ app_id: "partner-17" }] });
  });

  it("accepts the scheme in any case", async () => {
    expect(await call("/", signed(`keyId="partner-17",${SIGNATURE}`, "signature"))).toEqual({ ...passed("/"), backend: [{ app_id: "partner-17" }] });
  });

  it("sends an unknown keyId to the backend, which denies it (403)", async () => {
    expect(await call("/", signed(`keyId="stranger",${SIGNATURE}`))).toEqual({ ...DENIED, backend: [{ app_id: "stranger" }] });
  });

  it.each([
    ["no keyId", signed(`algorithm="rsa-sha256",${SIGNATURE}`)],
    ["two keyIds", signed(`keyId="partner-17",keyId="other",${SIGNATURE}`)],
    ["an empty keyId", signed(`keyId="",${SIGNATURE}`)],
    ["another scheme", signed(`keyId="partner-17",${SIGNATURE}`, "Bearer")],
  ])("finds no credentials with %s", async (_, headers) => {
    expect(await call("/", headers)).toEqual(MISSING);
  });

  it("does NOT verify the signature: a forged one passes", async () => {
    expect(await call("/", signed('keyId="partner-17",signature="forged"'))).toEqual({ ...passed("/"), backend: [{ app_id: "partner-17" }] });
  });
});
