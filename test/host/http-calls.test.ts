import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer, HttpCallRecord } from "../../tools/host";
import { configuredHost, GET, header } from "./support";

const call = (extra: [string, string][] = []) => GET("/p", [["x-test", "call"], ...extra]);
const logged = (r: { logs: { message: string }[] }) => r.logs.map((l) => l.message);
const answering = (answer: CallAnswer) => configuredHost("calls", "", { clusters: { backend: () => answer } });

describe("proxy_http_call answered by a handler", () => {
  it("delivers the answer to the root context, which resumes the paused request", async () => {
    const seen: HttpCallRecord[] = [];
    const host = await configuredHost("calls", "", {
      clusters: { backend: (c) => (seen.push(c), { status: 200, headers: [["X-Reply", "r"]], body: "pong" }) },
    });
    const r = await host.request({ headers: call() });
    expect(r.outcome).toBe("continue");
    expect(header(r.requestHeaders, "x-auth")).toBe("ok");
    expect(header(r.requestHeaders, "x-call-body")).toBe("pong");
    expect(seen).toHaveLength(1);
    expect(r.httpCalls).toEqual([
      {
        instance: "worker 0",
        rootContextId: 1,
        callId: 1,
        cluster: "backend",
        headers: [[":method", "GET"], [":path", "/auth?x=1"], [":authority", "backend.example"], ["x-from", "fixture"]],
        body: "ping",
        trailers: [],
        timeoutMs: 0,
        state: "answered",
        response: { headers: [[":status", "200"], ["x-reply", "r"]], body: "pong", trailers: [] },
      },
    ]);
    expect(logged(r)).toContain("response 1 root 1 headers 2 body pong trailers 0 :status 200 get_status 0 ");
    // map 6 belongs to the root context: unreadable once the stream is the effective context
    expect(logged(r)).toContain("call response map through the stream: 2");
  });

  it("lets the module answer the paused request locally", async () => {
    const host = await answering({ status: 403, body: "denied" });
    expect(await host.request({ headers: call() })).toMatchObject({
      outcome: "local_reply",
      status: 403,
      body: "status 403 body denied",
      details: "backend_denied",
    });
  });

  it("refuses unknown clusters and incomplete or oversized header maps synchronously", async () => {
    const host = await answering({ status: 200 });
    const cases: [string, string][][] = [
      [["x-test", "call"], ["x-cluster", "nope"]],
      [["x-test", "call-no-authority"]], // `host` is not Envoy's Host(): that is :authority
      [["x-test", "call-many"]], // 1029 pairs: read as an empty map
    ];
    for (const extra of cases) {
      const r = await host.request({ headers: GET("/p", extra) });
      expect(r).toMatchObject({ outcome: "local_reply", status: 500, body: "dispatch status 2", httpCalls: [] });
    }
    expect(host.calls).toEqual([]);
  });

  it("reports a reset as 0 headers with get_status 11 \"reset\"", async () => {
    const host = await answering("reset");
    const r = await host.request({ headers: call() });
    expect(r).toMatchObject({ outcome: "local_reply", status: 502, body: "get_status 11 reset" });
    expect(r.httpCalls[0].state).toBe("reset");
  });

  it("reports connect failures and timeouts as Envoy's local 503/504 responses", async () => {
    for (const [answer, status] of [["refused", 503], ["timeout", 504]] as const) {
      const host = await answering(answer);
      const r = await host.request({ headers: call() });
      expect(r.status).toBe(403);
      expect(r.body).toMatch(new RegExp(`^status ${status} body upstream `));
      expect(header(r.httpCalls[0].response?.headers, "content-type")).toBe("text/plain");
    }
  });

  it("never answers inside proxy_http_call and keeps the call alive when the stream dies", async () => {
    let release!: (answer: CallAnswer) => void;
    const host = await configuredHost("calls", "", {
      clusters: { backend: () => new Promise<CallAnswer>((resolve) => (release = resolve)) },
    });
    const r = await host.request({ headers: call(), hangTimeoutMs: 50 });
    expect(r.outcome).toBe("hung");
    release({ status: 200 });
    await host.idle();
    expect(host.calls[0].state).toBe("answered");
    expect(host.logs.at(-1)).toMatchObject({ level: "warn", message: `set_effective_context(${r.contextId}) = 2` });
  });

  it("fails paused requests of an instance that traps, and cancels its calls", async () => {
    const host = await configuredHost("calls", "", { clusters: { backend: () => ({ headers: [["x-trap", "1"]] }) } });
    const r = await host.request({ headers: call() });
    expect(r).toMatchObject({ outcome: "failed", status: 503, details: "wasm_fail_stream" });
    expect(host.instances[0].error?.message).toBe("Function: proxy_on_http_call_response failed: unreachable");
  });

  it("numbers calls per root context and drops the canary's calls", async () => {
    let asked = 0;
    const host = await configuredHost("calls", "fetch", { concurrency: 2, clusters: { system: () => (asked++, { status: 200 }) } });
    await host.idle();
    expect(host.calls.map((c) => [c.instance, c.callId, c.state])).toEqual([
      ["canary", 1, "cancelled"],
      ["worker 0", 1, "answered"],
      ["worker 1", 1, "answered"],
    ]);
    expect(asked).toBe(2);
  });
});

describe("proxy_http_call routed to a real HTTP server", () => {
  const servers: http.Server[] = [];

  /** a loopback server; returns its base URL */
  async function serve(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  it("sends the call with :authority as Host and delivers the real response", async () => {
    const received: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const base = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(200, { "X-Backend": "yes" }).end("pong");
      });
    });
    const host = await configuredHost("calls", "", { clusters: { backend: base } });
    const r = await host.request({ headers: call() });
    await host.close();
    expect(r.outcome).toBe("continue");
    expect(header(r.requestHeaders, "x-call-body")).toBe("pong");
    expect(received).toMatchObject([
      { method: "GET", url: "/auth?x=1", body: "ping", headers: { host: "backend.example", "x-from": "fixture", "content-length": "4" } },
    ]);
    expect(header(r.httpCalls[0].response?.headers, "x-backend")).toBe("yes");
  });

  it("turns a refused connection into a local 503", async () => {
    const base = await serve(() => {});
    servers[0].close(); // nothing listens on that port any more
    const host = await configuredHost("calls", "", { clusters: { backend: base } });
    expect((await host.request({ headers: call() })).body).toMatch(/^status 503 body upstream connect error/);
  });

  it("turns the call timeout into a local 504", async () => {
    const base = await serve(() => {}); // never answers
    const host = await configuredHost("calls", "", { clusters: { backend: base } });
    const r = await host.request({ headers: call([["x-timeout", "50"]]) });
    await host.close();
    expect(r.body).toBe("status 504 body upstream request timeout");
  });

  it("reports a connection lost in the middle of the body as a reset", async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial", () => res.destroy());
    });
    const host = await configuredHost("calls", "", { clusters: { backend: base } });
    const r = await host.request({ headers: call() });
    await host.close();
    expect(r).toMatchObject({ status: 502, body: "get_status 11 reset" });
  });
});
