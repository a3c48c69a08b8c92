import { describe, expect, it } from "vitest";
import { configuredHost, GET, header } from "./support";

const test = (name: string, extra: [string, string | Uint8Array][] = []) => GET("/p?q=1", [["x-test", name], ...extra]);
const logged = (r: { logs: { message: string }[] }) => r.logs.map((l) => l.message);

describe("HTTP streams", () => {
  it("creates the context lazily, passes header count and end_of_stream, continues on 0", async () => {
    const host = await configuredHost("streams");
    const r = await host.request({ headers: test("continue"), endOfStream: false });
    expect(r.outcome).toBe("continue");
    expect(header(r.requestHeaders, "x-count")).toBe("5");
    expect(header(r.requestHeaders, "x-eos")).toBe("0");
    expect(header(r.requestHeaders, "x-byte-size")).toBe(String(":authorityapi.example.com:path/p?q=1:methodGET:schemehttpsx-testcontinue".length));
    expect(logged(r)).toEqual([
      `create ${r.contextId} parent 1`,
      "response 200 headers 1 eos 1 request map 2", // request map gone once the request continued
      `log ${r.contextId} path /p?q=1 status 200`, // the access-log phase sees the final maps
      `done ${r.contextId}`,
      `delete ${r.contextId}`,
    ]);
    expect(r).toMatchObject({ status: 200, details: "via_upstream", responseHeaders: [[":status", "200"], ["powered-by", "fixture"]] });
  });

  it("defers a local reply until the callback returns and stops the request whatever it returned", async () => {
    const host = await configuredHost("streams");
    const r = await host.request({ headers: test("reply") });
    expect(r).toMatchObject({ outcome: "local_reply", status: 403, body: "nope\n", details: "denied_by_fixture", grpcStatus: -1 });
    expect(r.replyHeaders).toEqual([["x-reply", "1"]]);
    expect(r.responseHeaders).toEqual([
      [":status", "403"],
      ["content-length", "5"],
      ["content-type", "text/plain"],
      ["x-reply", "1"],
      ["powered-by", "fixture"], // local replies go through on_response_headers too
    ]);
    expect(logged(r)).toContain("after reply, path /p?q=1");
  });

  it("keeps the first local reply when the module sends two", async () => {
    const host = await configuredHost("streams");
    const r = await host.request({ headers: test("reply-twice") });
    expect(r).toMatchObject({ outcome: "local_reply", status: 401, details: "first" });
    expect(header(r.responseHeaders as [string, unknown][], "content-type")).toBeUndefined();
  });

  it("mutates the request header map with Envoy's semantics", async () => {
    const host = await configuredHost("streams");
    const r = await host.request({
      headers: test("mutate", [["X-Multi", "1"], ["x-multi", "2"], ["x-replace", "a"], ["x-replace", "b"], ["x-remove", "z"]]),
    });
    const names = r.requestHeaders.map(([n]) => n);
    expect(names).not.toContain("x-remove");
    expect(r.requestHeaders.filter(([n]) => n === "x-replace")).toEqual([["x-replace", "new"]]);
    expect(header(r.requestHeaders, "x-added")).toBe("a");
    expect(header(r.requestHeaders, "x-first")).toBe("1");
    expect(header(r.requestHeaders, "x-multi-count")).toBe("2");
    expect(header(r.requestHeaders, "x-remove-status")).toBe("0");
    expect(header(r.requestHeaders, "x-missing-status")).toBe("1");
  });

  it("drops the request header map as soon as proxy_continue_stream is called", async () => {
    const host = await configuredHost("streams");
    const r = await host.request({ headers: test("continue-inline") });
    expect(r.outcome).toBe("continue");
    expect(logged(r)).toContain("get after continue_stream: 2");
  });

  it("passes header values that are not UTF-8 through as bytes", async () => {
    const host = await configuredHost("streams");
    const bin = Uint8Array.of(0xff, 0xfe, 0x80, 0x41);
    const r = await host.request({ headers: test("binary", [["x-bin", bin]]) });
    expect(header(r.requestHeaders, "x-bin-copy")).toEqual(bin);
  });

  it("resolves a request that is never resumed as hung and ends its stream", async () => {
    const host = await configuredHost("streams");
    const r = await host.request({ headers: test("pause"), hangTimeoutMs: 50 });
    expect(r.outcome).toBe("hung");
    expect(r.status).toBeUndefined();
    expect(logged(r).at(-1)).toBe(`delete ${r.contextId}`);
  });

  it("resets the stream on proxy_close_stream", async () => {
    const host = await configuredHost("streams");
    expect((await host.request({ headers: test("close") })).outcome).toBe("reset");
  });

  it("refuses set_effective_context for a finished stream and unknown stream types", async () => {
    const host = await configuredHost("streams");
    const old = await host.request({ headers: test("remember") });
    const r = await host.request({ headers: test("poke") });
    expect(logged(r)).toContain(`set_effective_context(${old.contextId}) = 2`);
    expect(logged(await host.request({ headers: test("bad-stream-type") }))).toContain("continue_stream(7) = 2");
  });

  it("gives every worker its own linear memory", async () => {
    const host = await configuredHost("streams", "", { concurrency: 2 });
    await host.request({ headers: test("remember"), worker: 0 });
    expect(logged(await host.request({ headers: test("poke"), worker: 1 }))).toContain("set_effective_context(0) = 2");
  });

  it("spreads requests over workers round-robin unless a worker is given", async () => {
    const host = await configuredHost("streams", "", { concurrency: 2 });
    const workers = [];
    for (let i = 0; i < 3; i++) workers.push((await host.request({ headers: test("continue") })).worker);
    workers.push((await host.request({ headers: test("continue"), worker: 0 })).worker);
    expect(workers).toEqual([0, 1, 0, 0]);
  });
});

describe("failure policy", () => {
  it("FAIL_CLOSED: a trap fails that instance for good; its requests get 503 wasm_fail_stream", async () => {
    const host = await configuredHost("streams", "", { concurrency: 2 });
    const trapped = await host.request({ headers: test("trap"), worker: 0 });
    expect(trapped).toMatchObject({ outcome: "failed", status: 503, body: "", details: "wasm_fail_stream" });
    expect(host.instances[0].failed).toBe(true);
    expect(host.instances[0].error?.message).toBe("Function: proxy_on_request_headers failed: unreachable");
    const next = await host.request({ headers: test("continue"), worker: 0 });
    expect(next).toMatchObject({ outcome: "failed", status: 503, logs: [] }); // no module code runs again
    expect((await host.request({ headers: test("continue"), worker: 1 })).outcome).toBe("continue");
  });

  it("FAIL_OPEN: requests on a failed instance bypass the filter", async () => {
    const host = await configuredHost("streams", "", { failurePolicy: "FAIL_OPEN" });
    expect(await host.request({ headers: test("trap") })).toMatchObject({ outcome: "continue", failOpen: true, status: 200 });
    const next = await host.request({ headers: test("continue") });
    expect(next).toMatchObject({ outcome: "continue", failOpen: true });
    expect(header(next.requestHeaders, "x-count")).toBeUndefined();
  });
});
