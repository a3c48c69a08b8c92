// examples/api-key: the user_key from the x-api-key header, else the api_key query parameter,
// else the user_key one; the first source with a value wins.
import { describe, expect, it } from "vitest";
import { envoyBin } from "../support";
import { DENIED, MISSING, passed, useScheme, variantsOf } from "./support";

describe.skipIf(!envoyBin).each(variantsOf("api-key"))("examples/api-key (%s)", (variant) => {
  const call = useScheme("api-key", variant);

  it.each([
    ["the header", "/", { "x-api-key": "key-in-header" }, "key-in-header"],
    ["the api_key query parameter", "/?api_key=key-in-query", {}, "key-in-query"],
    ["the user_key query parameter", "/?user_key=key-in-query", {}, "key-in-query"],
    ["the header before the query", "/?api_key=key-in-query", { "x-api-key": "key-in-header" }, "key-in-header"],
    ["api_key before user_key", "/?user_key=nope&api_key=key-in-query", {}, "key-in-query"],
  ])("takes the key from %s", async (_, path, headers, key) => {
    expect(await call(path, headers)).toEqual({ ...passed(path), backend: [{ user_key: key }] });
  });

  it("does not fall back to a later source when the first one's key is wrong", async () => {
    expect(await call("/?api_key=key-in-query", { "x-api-key": "nope" })).toEqual({ ...DENIED, backend: [{ user_key: "nope" }] });
  });

  it("finds no credentials without a key", async () => {
    expect(await call("/?other=1", { "x-other-key": "key-in-header" })).toEqual(MISSING);
  });
});
