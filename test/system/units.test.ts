// The proxy-config reader (only the used fields, strict types) and the shared record format.
import { beforeAll, describe, expect, it } from "vitest";
import { loadAsUnit } from "../support/as-unit";
import { document, FETCHED_RULE } from "./support";

let m: any;
beforeAll(async () => { m = await loadAsUnit("test/as/system/system.ts"); }, 60_000);

const rule = (extra: object) => JSON.stringify(document("t", [{ ...FETCHED_RULE, ...extra }]));

describe("proxy-config document", () => {
  it("keeps only the fields the module uses, and reads its own output back unchanged", () => {
    const reduced = m.reduce(JSON.stringify(document("tok\"1", [FETCHED_RULE, { ...FETCHED_RULE, metric_system_name: null }])));
    expect(JSON.parse(reduced)).toEqual({ proxy_config: { content: {
      backend_authentication_type: "service_token", backend_authentication_value: "tok\"1",
      proxy: { proxy_rules: [
        { http_method: "get", pattern: "/fetched/{id}", metric_system_name: "fetched", delta: 2, last: false },
        { http_method: "get", pattern: "/fetched/{id}", delta: 2, last: false },
      ] },
    } } });
    expect(m.reduce(reduced)).toBe(reduced);
  });

  it("ignores a provider key", () => {
    expect(JSON.parse(m.reduce(JSON.stringify(document(null, [])))).proxy_config.content).toEqual({ proxy: { proxy_rules: [] } });
  });

  it.each([
    ["[]", "error: expected a JSON object"],
    ["{}", "error: configuration: missing field `proxy_config`"],
    [rule({ delta: -1 }), "error: proxy_config.content.proxy.proxy_rules[0].delta: expected an integer between 0 and 9223372036854775807, found number -1"],
    [rule({ delta: 1.5 }), "error: proxy_config.content.proxy.proxy_rules[0].delta: expected an integer between 0 and 9223372036854775807, found number 1.5"],
    [rule({ pattern: 5 }), "error: proxy_config.content.proxy.proxy_rules[0].pattern: expected a string, found number 5"],
    [JSON.stringify({ proxy_config: { content: { backend_authentication_type: "service_token", proxy: { proxy_rules: [] } } } }),
      "error: proxy_config.content: missing field `backend_authentication_value`"],
  ])("rejects %s", (text, error) => {
    expect(m.reduce(text)).toBe(error);
  });
});

describe("shared fetch record", () => {
  it("round-trips and rejects anything else", () => {
    const text = m.encodeRecord(3, 1715731270000n, "{\"x\":\"a\nb\"}");
    expect(text).toBe("7 3 1715731270000 0 0\n{\"x\":\"a\nb\"}");
    expect(m.recode(text)).toBe(text);
    for (const bad of ["", "7 3 1 0 0", "7 3 1 0\n", "7 3 x 0 0\n", "7 3 -1 0 0\n", "4294967296 3 1 0 0\n", "7  3 1 0 0\n"]) {
      expect(m.recode(bad)).toBe("invalid");
    }
  });
});
