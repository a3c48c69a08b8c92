import { beforeAll, describe, expect, it } from "vitest";
import { loadUrlUnit, type UrlUnit } from "./support";

let m: UrlUnit;
beforeAll(async () => {
  m = await loadUrlUnit();
});

/** [scheme, authority, basePath, query or null, serialized] */
function upstream(text: string): (string | null)[] {
  const [error, scheme, authority, basePath, query, hasQuery, serialized] = m.upstream(text);
  expect(error).toBe("");
  return [scheme, authority, basePath, hasQuery === "1" ? query : null, serialized];
}

describe("configuration §3 upstream url", () => {
  it.each([
    ["https://su1.3scale.net/", ["https", "su1.3scale.net", "/", null, "https://su1.3scale.net/"]],
    ["https://h:8080/base?x=1", ["https", "h:8080", "/base/", "x=1", "https://h:8080/base/?x=1"]],
    ["file:///x", ["file", "", "/x/", null, "file:///x/"]],
    ["http://backend-listener.3scale.svc.cluster.local:3000",
      ["http", "backend-listener.3scale.svc.cluster.local:3000", "/", null, "http://backend-listener.3scale.svc.cluster.local:3000/"]],
    ["https://gw.example.com/3scale/?region=eu", ["https", "gw.example.com", "/3scale/", "region=eu", "https://gw.example.com/3scale/?region=eu"]],
  ])("%s", (text, expected) => {
    expect(upstream(text)).toEqual(expected);
  });

  it.each([
    ["not a url", "relative URL without a base"],
    ["mailto:x@y", "url does not contain an authority"],
    ["foo:/x", "url does not contain an authority"],
    ["", "relative URL without a base"],
    ["https://", "empty host"],
    ["https://user@/x", "empty host"],
    ["https://h:99999/", "invalid port number"],
    ["https://h:8a/", "invalid port number"],
    ["https://[::1/", "invalid IPv6 address"],
    ["https://1.2.3.256/", "invalid IPv4 address"],
    ["https://a b/", "invalid domain character"],
    ["https://%FF/", "invalid international domain name"],
  ])("%j is rejected: %s", (text, error) => {
    expect(m.upstream(text)).toEqual([error]);
  });
});

describe("authorization-flow §5.2 base path B and query U", () => {
  it.each([
    ["https://host", "/", null],
    ["https://host/backend", "/backend/", null],
    ["https://host/api/v1/", "/api/v1/", null],
    ["https://host/p?", "/p/", ""],
    ["https://host?a=b", "/", "a=b"],
    ["https://host/a/../b/./c#frag", "/b/c/", null],
  ])("%s → B=%s U=%s", (text, basePath, query) => {
    const [, , base, q] = upstream(text);
    expect([base, q]).toEqual([basePath, query]);
  });

  it("normalises the authority like a request authority", () => {
    expect(upstream("HTTPS://User:Pw@SU1.3scale.NET:443")[1]).toBe("User:Pw@su1.3scale.net");
    expect(upstream("https://su1.3scale.net:8443/")[1]).toBe("su1.3scale.net:8443");
    expect(upstream(" \thttps://h/\n ")[4]).toBe("https://h/");
  });
});
