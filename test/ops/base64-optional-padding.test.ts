// `base64_urlsafe_optional_padding`: our one addition to the operations. Like `base64_urlsafe`
// (docs/operations.md §4.1) in every respect except that missing padding is accepted, so JWT
// segments and Envoy's `x-jwt-payload` (written without `=`) decode.
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps, verdict } from "./support";

const OP = "base64_urlsafe_optional_padding";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("semantics"); });

const decode = (input: string) => verdict(runOps(m, [OP], [input]));

describe(OP, () => {
  it.each([
    ["aGVsbG8", "hello"], // 1 padding symbol missing
    ["aGVsbG8=", "hello"], // canonical padding still accepted
    ["YQ", "a"], // 2 missing
    ["YQ==", "a"],
    ["YWJj", "abc"], // no padding needed
    ["", ""],
    ["Pz8_", "???"], // url-safe alphabet
    ["w6k", "é"],
    [Buffer.from('{"azp":"client-a"}').toString("base64url"), '{"azp":"client-a"}'],
  ])("decodes %j", (input, text) => {
    expect(decode(input)).toEqual([text]);
  });

  it.each([
    ["Pz8/", "standard alphabet"],
    ["aGVs bG8", "a space"],
    ["YQ=", "partial padding"],
    ["YQ===", "over-padding"],
    ["YWJj=", "padding where no byte is missing"],
    ["YWJjZ", "a single leftover symbol"],
    ["Y=Q", "padding inside"],
    ["YR", "non-zero trailing bits"],
    ["YWK", "non-zero trailing bits (2 bytes)"],
    ["_w", "invalid UTF-8 (byte FF)"],
  ])("rejects %j (%s)", (input) => {
    expect(decode(input)).toBe("fails");
  });

  it("decodes only the top value", () => {
    expect(verdict(runOps(m, [OP], ["keep", "YQ"]))).toEqual(["keep", "a"]);
  });

  it("takes no parameter: a bare name or null", () => {
    expect(verdict(runOps(m, [{ [OP]: null }], ["YQ"]))).toEqual(["a"]);
    expect(runOps(m, [{ [OP]: {} }], ["YQ"]).config_error).toMatch(/takes no parameter/);
  });

  it("leaves base64_urlsafe strict", () => {
    expect(verdict(runOps(m, ["base64_urlsafe"], ["aGVsbG8"]))).toBe("fails");
  });
});
