// A.1/A.2 transport behaviour, the request log and the control API.
import http from "node:http";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { appIdService, authrep, request, simulator } from "./support";

describe("transport", () => {
  it("puts the content type and CORS headers on every answer, and CSP on non-errors only", async () => {
    const sim = await simulator();
    const ok = await authrep(sim, { app_id: "app1", app_key: "key1" });
    const denied = await authrep(sim, { app_id: "app1" });
    const error = await authrep(sim, { app_id: "boo" });
    for (const answer of [ok, denied, error]) {
      expect(answer.headers).toMatchObject({
        "content-type": "application/vnd.3scale-v2.0+xml",
        "access-control-allow-origin": "*",
        "access-control-expose-headers": "ETag, Link, 3scale-rejection-reason",
      });
    }
    expect([ok, denied, error].map((a) => a.headers["content-security-policy"])).toEqual(["default-src 'self'", "default-src 'self'", undefined]);
  });

  it("answers unknown paths and methods with an empty 404, and OPTIONS with 204", async () => {
    const sim = await simulator();
    for (const [method, path] of [["GET", "/nope"], ["POST", "/transactions/authrep.xml"], ["GET", "/available"]]) {
      const answer = await request(sim, method!, path!);
      expect([answer.status, answer.body]).toEqual([404, ""]);
    }
    const preflight = await request(sim, "OPTIONS", "/transactions/authrep.xml");
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-headers"]).toContain("3scale-options");
  });

  it("serves /status, /check.txt and HEAD /available", async () => {
    const sim = await simulator();
    const status = await request(sim, "GET", "/status");
    expect([status.headers["content-type"], JSON.parse(status.body).status]).toEqual(["application/json", "ok"]);
    expect(JSON.parse(status.body).version.backend).toEqual(expect.any(String));
    const check = await request(sim, "GET", "/check.txt");
    expect([check.status, check.headers["content-type"], check.body]).toEqual([200, "text/plain", "ok"]);
    expect((await request(sim, "HEAD", "/available")).status).toBe(200);
  });

  it("accepts any Host / :authority", async () => {
    const sim = await simulator();
    const answer = await request(sim, "GET", "/transactions/authrep.xml?service_id=7&service_token=tok-7&app_id=app1&app_key=key1",
      { headers: { Host: "su1.3scale.net" } });
    expect(answer.status).toBe(200);
  });
});

describe("request log", () => {
  it("records method, raw path, decoded params, headers in order and the answered status", async () => {
    const sim = await simulator({ services: [appIdService()] }, { now: "2024-05-15T10:31:00Z" });
    await request(sim, "GET", "/transactions/authrep.xml?service_id=7&service_token=tok-7&app_id=app1&app_key=key1&usage[hits]=1&usage%5Borders%5D=2", {
      headers: { "3scale-options": "no_body=1&rejection_reason_header=1", "User-Agent": "threescalers/0.8.0" },
    });
    const [entry] = sim.requests;
    expect(entry).toMatchObject({
      method: "GET", time: Date.parse("2024-05-15T10:31:00Z"), status: 200,
      path: "/transactions/authrep.xml?service_id=7&service_token=tok-7&app_id=app1&app_key=key1&usage[hits]=1&usage%5Borders%5D=2",
      pathname: "/transactions/authrep.xml",
      params: { service_id: "7", service_token: "tok-7", app_id: "app1", app_key: "key1", usage: { hits: "1", orders: "2" } },
      headers: { "3scale-options": "no_body=1&rejection_reason_header=1", "user-agent": "threescalers/0.8.0" },
    });
    expect(entry!.rawHeaders.slice(0, 4)).toEqual(["3scale-options", "no_body=1&rejection_reason_header=1", "User-Agent", "threescalers/0.8.0"]);
  });

  it("keeps unparseable requests with undefined params, and can be reset", async () => {
    const sim = await simulator();
    await request(sim, "GET", "/transactions/authrep.xml?app_id=%zz");
    expect(sim.requests.map((r) => [r.params, r.status])).toEqual([[undefined, 400]]);
    sim.resetLog();
    expect(sim.requests).toEqual([]);
  });

  it("keeps the most recent logLimit entries", async () => {
    const sim = await simulator(undefined, { logLimit: 2 });
    for (const path of ["/a", "/b", "/c"]) await request(sim, "GET", path);
    expect(sim.requests.map((r) => r.path)).toEqual(["/b", "/c"]);
  });

  it("resolves waitForRequest with a past or a future request", async () => {
    const sim = await simulator();
    await request(sim, "GET", "/first");
    expect((await sim.waitForRequest((r) => r.path === "/first")).path).toBe("/first");
    const waiting = sim.waitForRequest((r) => r.path === "/later");
    await request(sim, "GET", "/later");
    expect((await waiting).path).toBe("/later");
  });
});

describe("control API", () => {
  const controlJson = async (sim: Awaited<ReturnType<typeof simulator>>, method: string, path: string, body?: unknown) => {
    const answer = await request(sim, method, path, { body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: answer.status, json: answer.body ? JSON.parse(answer.body) : undefined };
  };

  it("exposes counters, the request log, the clock and faults to other processes", async () => {
    const sim = await simulator();
    await controlJson(sim, "PUT", "/__sim/clock", { now: "2024-05-15T10:31:00Z" });
    expect((await controlJson(sim, "GET", "/__sim/clock")).json).toEqual({ now: "2024-05-15T10:31:00.000Z" });
    await authrep(sim, { app_id: "app1", app_key: "key1", "usage[products]": "2" });
    expect((await controlJson(sim, "GET", "/__sim/usage?service_id=7&app=app1&metric=hits&period=minute")).json).toEqual({ value: 2 });
    expect((await controlJson(sim, "GET", "/__sim/total?metric=products")).json).toEqual({ value: 2 });
    const log = (await controlJson(sim, "GET", "/__sim/requests")).json;
    expect(log.map((r: { pathname: string }) => r.pathname)).toEqual(["/transactions/authrep.xml"]);
    expect((await controlJson(sim, "DELETE", "/__sim/requests")).status).toBe(204);
    expect(sim.requests).toEqual([]);

    expect((await controlJson(sim, "POST", "/__sim/faults", { answer: "error", status: 502, times: 1 })).status).toBe(204);
    expect((await controlJson(sim, "GET", "/__sim/faults")).json).toEqual([{ answer: "error", status: 502, times: 1 }]);
    expect((await authrep(sim, { app_id: "app1", app_key: "key1" })).status).toBe(502);
    await controlJson(sim, "POST", "/__sim/faults", { answer: "empty" });
    await controlJson(sim, "DELETE", "/__sim/faults");
    expect((await authrep(sim, { app_id: "app1", app_key: "key1" })).status).toBe(200);
  });

  it("answers 400 for bad input and 404 for unknown routes", async () => {
    const sim = await simulator();
    expect((await controlJson(sim, "GET", "/__sim/usage?service_id=7")).status).toBe(400);
    expect((await controlJson(sim, "GET", "/__sim/usage?service_id=7&app=nope&metric=hits")).status).toBe(400);
    expect((await controlJson(sim, "GET", "/__sim/usage?service_id=7&app=app1&metric=hits&period=fortnight")).status).toBe(400);
    expect((await controlJson(sim, "GET", "/__sim/nope")).status).toBe(404);
  });

  it("can be turned off", async () => {
    const sim = await simulator(undefined, { control: false });
    expect((await request(sim, "GET", "/__sim/requests")).body).toBe("");
    expect(sim.requests.map((r) => r.pathname)).toEqual(["/__sim/requests"]);
  });
});

describe("connections", () => {
  it("keeps idle connections open well beyond Node's 5 s default", async () => {
    const sim = await simulator();
    const agent = new http.Agent({ keepAlive: true });
    const answer = await new Promise<http.IncomingMessage>((resolve) => http.get({ port: sim.port, path: "/check.txt", agent }, resolve));
    expect(answer.headers["keep-alive"]).toBe("timeout=300");
    answer.resume();
    agent.destroy();
  });
});

describe("pause and resume", () => {
  it("refuses connections while paused, then serves on the same port with the same state", async () => {
    const sim = await simulator();
    const port = sim.port;
    expect((await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "2" })).status).toBe(200);
    const agent = new http.Agent({ keepAlive: true });
    const idle = await new Promise<Socket>((resolve) =>
      http.get({ port, path: "/check.txt", agent }, (r) => {
        const socket = r.socket; // detached from the response once it ends
        r.resume().on("end", () => resolve(socket));
      }));
    const idleClosed = new Promise((resolve) => idle.once("close", resolve));
    await sim.pause();
    await idleClosed; // kept-alive connections are closed too, as a crashed process's would be
    await expect(request(sim, "GET", "/check.txt")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await sim.resume();
    agent.destroy();
    expect(sim.port).toBe(port);
    expect((await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "1" })).status).toBe(200);
    expect(sim.usage("7", "app1", "hits")).toBe(3);
    expect(sim.requests.filter((r) => r.pathname === "/transactions/authrep.xml")).toHaveLength(2);
  });
});
