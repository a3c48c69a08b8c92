// docs/decision.md §1–§3 through the built module: the order of checks, the local replies
// of §2.9, the exact authrep request of §5 and the answer handling of §2.7.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, service } from "../support/configs";
import { authrepCall, authrepParams, get, header, plugin, type Plugin } from "../support/module";

const rules = [
  { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
  { method: "GET", pattern: "/products/", usages: [{ name: "products", delta: 1 }] },
];

describe("§3 worked examples", () => {
  let p: Plugin;
  beforeAll(async () => { p = await plugin(config([service({ mapping_rules: rules })])); });
  afterAll(async () => { await p.close(); });

  it("GET /products/9?user_key=9f8e7d → authrep with hits 1, products 1; 200 → upstream", async () => {
    p.answer = { status: 200 };
    const r = await get(p, "/products/9?user_key=9f8e7d");
    expect(r.outcome).toBe("continue");
    const call = authrepCall(r)!;
    expect(call.cluster).toBe("outbound|443||su1.3scale.net");
    expect(call.timeoutMs).toBe(5000);
    expect(call.headers).toEqual([
      [":authority", "su1.3scale.net"],
      [":scheme", "https"],
      [":method", "GET"],
      [":path", "/transactions/authrep.xml?service_id=2555417900001&service_token=st-6e2d&user_key=9f8e7d&usage[hits]=1&usage[products]=1"],
      ["3scale-options", "no_body=1&rejection_reason_header=1"],
      ["user-agent", "threescalers/0.8.0"],
    ]);
    expect(r.responseHeaders).toContainEqual(["powered-by", "3scale"]);
  });

  it.each<[string, string, unknown, number, string]>([
    ["no credentials", "/products/9", undefined, 403, "Authentication parameters missing\n"],
    ["POST without a rule", "POST /products/9?user_key=9f8e7d", undefined, 404, "No Mapping Rule matched\n"],
    ["backend 409 limits_exceeded", "/products/9?user_key=9f8e7d", { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] }, 429, "Usage limit exceeded\n"],
    ["backend 409 other reason", "/products/9?user_key=9f8e7d", { status: 409, headers: [["3scale-rejection-reason", "application_key_invalid"]] }, 403, "Authentication failed\n"],
    ["backend 404 application_not_found", "/products/9?user_key=9f8e7d", { status: 404 }, 403, "Authentication failed\n"],
    ["backend 500", "/products/9?user_key=9f8e7d", { status: 500 }, 403, "Authentication failed\n"],
    ["backend status not a number", "/products/9?user_key=9f8e7d", { headers: [[":status", "abc"]] }, 403, "Authentication failed\n"],
    ["backend call reset (no headers)", "/products/9?user_key=9f8e7d", "reset", 502, "Bad Gateway\n"],
    ["backend refused (Envoy's local 503)", "/products/9?user_key=9f8e7d", "refused", 403, "Authentication failed\n"],
    ["backend timeout (Envoy's local 504)", "/products/9?user_key=9f8e7d", "timeout", 403, "Authentication failed\n"],
  ])("%s", async (_, target, answer, status, body) => {
    p.answer = (answer ?? { status: 200 }) as Plugin["answer"];
    const [method, path] = target.includes(" ") ? target.split(" ") : ["GET", target];
    const r = await get(p, path, [], method);
    expect([r.outcome, r.status, r.body]).toEqual(["local_reply", status, body]);
  });
});

describe("§2.1 pseudo headers and URL (defect D1: never trap)", () => {
  let p: Plugin;
  beforeAll(async () => { p = await plugin(config([service({ mapping_rules: rules })])); });
  afterAll(async () => { await p.close(); });

  it.each<[string, [string, string][]]>([
    ["no :authority", [[":path", "/?user_key=1"], [":method", "GET"]]],
    ["no :path", [[":authority", "a"], [":method", "GET"]]],
    ["no :method", [[":authority", "a"], [":path", "/?user_key=1"]]],
    ["an authority with a space", [[":authority", "a b"], [":path", "/?user_key=1"], [":method", "GET"]]],
    ["an invalid port", [[":authority", "a:99999"], [":path", "/?user_key=1"], [":method", "GET"]]],
  ])("%s → 403 Authentication failed", async (_, headers) => {
    const r = await p.host.request({ headers });
    expect([r.status, r.body]).toEqual([403, "Authentication failed\n"]);
    expect(p.host.instances.every((i) => !i.failed)).toBe(true);
  });

  it("uses x-forwarded-proto when :scheme is absent, and https otherwise", async () => {
    const q = await plugin(config([service({ authorities: ["example.com:443"], mapping_rules: rules })]));
    try {
      const https = await q.host.request({ headers: [[":authority", "example.com:443"], [":path", "/?user_key=1"], [":method", "GET"]] });
      expect(https.body).toBe("Unknown service\n");
      const http = await q.host.request({ headers: [[":authority", "example.com:443"], [":path", "/?user_key=1"], [":method", "GET"], ["x-forwarded-proto", "http"]] });
      expect(http.outcome).toBe("continue");
    } finally { await q.close(); }
  });

  it("matches rules against the normalised path and reads the query after normalisation", async () => {
    const r = await get(p, "/a/../products/./1?user_key=a%20b+c");
    expect(authrepParams(r)).toMatchObject({ user_key: "a b c", "usage[products]": "1" });
  });
});

describe("§2.2 service selection by authority globs", () => {
  let p: Plugin;
  beforeAll(async () => {
    p = await plugin(config([
      service({ id: "one", authorities: ["api?.example.com", "+.one.test"], mapping_rules: rules }),
      service({ id: "two", authorities: ["*.example.com", "127.0.0.1:*"], mapping_rules: rules }),
    ]));
  });
  afterAll(async () => { await p.close(); });

  it.each<[string, string | null]>([
    ["api.example.com", "one"],
    ["api1.example.com", "one"],
    ["API1.Example.COM", "one"],
    ["api12.example.com", "two"],
    ["api.example.com:443", "one"],
    ["x.one.test", "one"],
    [".one.test", null],
    ["127.0.0.1:8080", "two"],
    ["127.1:8080", "two"],
    ["example.com", null],
  ])("%s → service %s", async (authority, id) => {
    const r = await get(p, "/?user_key=k", [], "GET", authority);
    if (id === null) expect(r.body).toBe("Unknown service\n");
    else expect(authrepParams(r).service_id).toBe(id);
  });
});

describe("§2.3 credentials (docs/configuration.md §8.1)", () => {
  let p: Plugin;
  beforeAll(async () => { p = await plugin(config([service({ mapping_rules: rules })])); });
  afterAll(async () => { await p.close(); });

  it.each<[string, string, [string, string][], Record<string, string>]>([
    ["user key from the query wins over the header", "/?user_key=abc", [["user_key", "h"]], { user_key: "abc" }],
    ["user key from a header", "/", [["user_key", "h"]], { user_key: "h" }],
    ["the first header of a repeated name", "/", [["user_key", "h1"], ["user_key", "h2"]], { user_key: "h1" }],
    ["an empty query value is a credential", "/?user_key=", [], { user_key: "" }],
    ["a bare query key is an empty credential", "/?user_key", [], { user_key: "" }],
    ["the first query pair of a repeated name", "/?user_key=a&user_key=b", [], { user_key: "a" }],
    ["an encoded query name", "/?user%5Fkey=x", [], { user_key: "x" }],
    ["= inside a query value", "/?user_key=a=b", [], { user_key: "a=b" }],
    ["%zz kept literally", "/?user_key=%zz1", [], { user_key: "%zz1" }],
    ["%FF becomes U+FFFD", "/?user_key=%FF", [], { user_key: "\uFFFD" }],
    ["app id with app key from headers", "/", [["x-app-id", "id1"], ["x-app-key", "k1"]], { app_id: "id1", app_key: "k1" }],
    ["app id without key", "/", [["x-app-id", "id1"]], { app_id: "id1" }],
    ["user key preferred over app id", "/", [["x-app-id", "id1"], ["user_key", "u"]], { user_key: "u" }],
    ["the fragment is never searched", "/?x=1#user_key=abc", [["x-app-id", "i"]], { app_id: "i" }],
  ])("%s", async (_, path, headers, expected) => {
    const params = authrepParams(await get(p, path, headers));
    for (const k of ["user_key", "app_id", "app_key"]) expect(params[k]).toBe(expected[k]);
  });

  it("an app key alone is missing credentials", async () => {
    expect((await get(p, "/", [["x-app-key", "k1"]])).body).toBe("Authentication parameters missing\n");
  });

  it("header values that are not UTF-8 are read with U+FFFD, not a trap (docs/configuration.md §8.2)", async () => {
    const r = await p.host.request({ headers: [[":authority", "a"], [":path", "/"], [":method", "GET"], ["user_key", new Uint8Array([0x61, 0xff, 0x62])]] });
    expect(authrepParams(r).user_key).toBe("a\uFFFDb");
  });

  it("the Basic Authorization pipeline gives app id and key (docs/operations.md §6.1)", async () => {
    const basic = { header: { keys: ["authorization"], ops: [
      { split: { separator: " ", max: 2 } }, { length: { min: 2 } }, { drop: { head: 1 } }, "base64_urlsafe", { split: { max: 2 } }] } };
    const q = await plugin(config([service({ credentials: { app_id: [basic], app_key: [{ header: { keys: ["app_key"] } }] }, mapping_rules: rules })]));
    try {
      const both = authrepParams(await get(q, "/", [["authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"], ["app_key", "other"]]));
      expect([both.app_id, both.app_key]).toEqual(["aladdin", "opensesame"]);
      const idOnly = authrepParams(await get(q, "/", [["authorization", "Basic YWxhZGRpbg=="], ["app_key", "other"]]));
      expect([idOnly.app_id, idOnly.app_key]).toEqual(["aladdin", "other"]);
    } finally { await q.close(); }
  });
});

describe("§2.4 mapping rules and usages", () => {
  it("sums usages in first-insertion order and honours last (Red Hat's example)", async () => {
    const p = await plugin(config([service({ mapping_rules: [
      { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
      { method: "GET", pattern: "/products/", usages: [{ name: "products", delta: 1 }] },
      { method: "ANY", pattern: "/products/{id}/sold", usages: [{ name: "sales", delta: 1 }, { name: "products", delta: 1 }], last: true },
      { method: "GET", pattern: "/", usages: [{ name: "never", delta: 1 }] },
    ] })]));
    try {
      const call = authrepCall(await get(p, "/products/1/sold?user_key=k"))!;
      expect(header(call, ":path")).toMatch(/&usage\[hits\]=1&usage\[products\]=2&usage\[sales\]=1$/);
    } finally { await p.close(); }
  });

  it("sends zero and negative sums", async () => {
    const p = await plugin(config([service({ mapping_rules: [
      { method: "GET", pattern: "/", usages: [{ name: "a", delta: 1 }, { name: "b", delta: -3 }] },
      { method: "GET", pattern: "/", usages: [{ name: "a", delta: -1 }] },
    ] })]));
    try {
      expect(header(authrepCall(await get(p, "/?user_key=k"))!, ":path")).toMatch(/&usage\[a\]=0&usage\[b\]=-3$/);
    } finally { await p.close(); }
  });

  it("a rule that only has empty usages is no match (404)", async () => {
    const p = await plugin(config([service({ mapping_rules: [{ method: "GET", pattern: "/", usages: [] }] })]));
    try { expect((await get(p, "/?user_key=k")).status).toBe(404); } finally { await p.close(); }
  });
});

describe("§5.3 the authrep request, examples 2 and 3 (defect D6: everything percent-encoded)", () => {
  it("example 2: in-cluster backend, default timeout, app id and key, last", async () => {
    const p = await plugin({
      api: "v1",
      backend: { upstream: { name: "outbound|443||su1.3scale.net", url: "http://backend-listener.3scale.svc.cluster.local:3000" } },
      services: [service({ id: "7", token: "tok-7",
        credentials: { app_id: [{ header: { keys: ["x-app-id"] } }], app_key: [{ header: { keys: ["x-app-key"] } }] },
        mapping_rules: [
          { method: "ANY", pattern: "/orders/{id}$", usages: [{ name: "orders", delta: 1 }, { name: "hits", delta: 1 }], last: true },
          { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
        ] })],
    });
    try {
      const call = authrepCall(await get(p, "/orders/77", [["x-app-id", "a77"], ["x-app-key", "k77"]], "POST"))!;
      expect(call.timeoutMs).toBe(1000);
      expect(header(call, ":authority")).toBe("backend-listener.3scale.svc.cluster.local:3000");
      expect(header(call, ":scheme")).toBe("http");
      expect(header(call, ":path")).toBe("/transactions/authrep.xml?service_id=7&service_token=tok-7&app_id=a77&app_key=k77&usage[orders]=1&usage[hits]=1");
    } finally { await p.close(); }
  });

  it("example 3: base path and query in the backend URL, a credential that needs encoding", async () => {
    const p = await plugin({
      api: "v1",
      backend: { upstream: { name: "outbound|443||su1.3scale.net", url: "https://gw.example.com/3scale/?region=eu", timeout: 800 } },
      services: [service({ id: "s-1", token: "t1",
        credentials: { user_key: [{ query_string: { keys: ["api_key"] } }] },
        mapping_rules: [{ method: "GET", pattern: "/v2/items?page={p}", usages: [{ name: "hits", delta: 2 }] }] })],
    });
    try {
      const call = authrepCall(await get(p, "/v2/items?api_key=abc%2Bdef%3D&page=2"))!;
      expect(call.timeoutMs).toBe(800);
      expect(header(call, ":path")).toBe("/3scale/transactions/authrep.xml?service_id=s-1&service_token=t1&user_key=abc%2Bdef%3D&usage[hits]=2&region=eu");
    } finally { await p.close(); }
  });

  it("encodes metric names, service ids and tokens; parameter injection is impossible", async () => {
    const p = await plugin(config([service({ id: "a b", token: "t&x=1",
      mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "m]&usage[x", delta: 1 }] }] })]));
    try {
      const r = await get(p, "/", [["user_key", "k&service_id=evil#"]]);
      expect(header(authrepCall(r)!, ":path")).toBe("/transactions/authrep.xml?service_id=a%20b&service_token=t%26x%3D1&user_key=k%26service_id%3Devil%23&usage[m%5D%26usage%5Bx]=1");
      expect(authrepParams(r)).toEqual({ service_id: "a b", service_token: "t&x=1", user_key: "k&service_id=evil#", "usage[m]&usage[x]": "1" });
    } finally { await p.close(); }
  });
});

describe("§2.2 configurations that deny every request", () => {
  it.each<[string, object, string]>([
    ["no services", { api: "v1", backend: { upstream: { name: "c", url: "https://x/" } } }, "Authentication failed\n"],
    ["an empty services list", config([]), "Unknown service\n"],
    ["no backend", { api: "v1", services: [service({ mapping_rules: rules })] }, "Authentication failed\n"],
    ["a service without token", config([service({ token: null, mapping_rules: rules })]), "Authentication failed\n"],
  ])("%s", async (_, cfg, body) => {
    const p = await plugin(cfg);
    try {
      const r = await get(p, "/?user_key=k");
      expect([r.status, r.body]).toEqual([403, body]);
      expect(r.httpCalls).toHaveLength(0);
    } finally { await p.close(); }
  });

  it("a backend cluster unknown to the host → 403 (dispatch refused)", async () => {
    const p = await plugin(config([service({ mapping_rules: rules })], { backend: { upstream: { name: "no-such-cluster", url: "https://x/" } } }));
    try {
      const r = await get(p, "/?user_key=k");
      expect([r.status, r.body, r.details]).toEqual([403, "Authentication failed\n", "authrep_dispatch_failed"]);
    } finally { await p.close(); }
  });
});

describe("§2.5 pass-through mode (defect D4: client copies replaced; the service token never forwarded)", () => {
  it("adds the resolved data as headers and removes spoofed ones", async () => {
    const p = await plugin(config([service({ mapping_rules: rules })], { passthrough_metadata: true }));
    try {
      const r = await get(p, "/products/1", [["x-app-id", "id1"], ["x-app-key", ""], ["x-3scale-app-id", "spoofed"], ["x-3scale-usages", "{}"], ["x-3scale-service-token", "spoofed"]]);
      expect(r.outcome).toBe("continue");
      expect(r.httpCalls).toHaveLength(0);
      const sent = r.requestHeaders.filter(([k]) => k.startsWith("x-3scale-"));
      expect(sent).toEqual([
        ["x-3scale-app-id", "id1:"],
        ["x-3scale-cluster-name", "outbound|443||su1.3scale.net"],
        ["x-3scale-upstream-url", "https://su1.3scale.net/"],
        ["x-3scale-timeout", "5000"],
        ["x-3scale-service-id", "2555417900001"],
        ["x-3scale-usages", '{"hits":1,"products":1}'],
      ]);
    } finally { await p.close(); }
  });
});

describe("defect D9: credentials and tokens never reach the logs", () => {
  it("masks them even at debug level, also when the backend call fails", async () => {
    const secret = "secret-user-key-0123456789";
    const token = "secret-service-token-987654";
    const p = await plugin(config([service({ token, mapping_rules: rules })]));
    try {
      for (const answer of [{ status: 200 }, { status: 409 }, "reset"] as Plugin["answer"][]) {
        p.answer = answer;
        await get(p, `/?user_key=${secret}`);
        await get(p, "/", [["x-app-id", secret], ["x-app-key", secret]]);
      }
      const lines = p.host.logs.map((l) => l.message);
      expect(lines.some((l) => l.includes("credentials user_key"))).toBe(true);
      for (const line of lines) {
        expect(line).not.toContain(secret);
        expect(line).not.toContain(token);
      }
    } finally { await p.close(); }
  });
});
