// Real Envoy without our filter: the harness itself (start, readiness, ports, access log, stop).
import { describe, expect, it } from "vitest";
import { EnvoyStartError, startEnvoy } from "../../tools/envoy/envoy";
import { startUpstream } from "../../tools/upstream/upstream";
import { envoyBin } from "./support";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!envoyBin)("Envoy smoke (no wasm filter)", () => {
  it("proxies to the upstream, logs the request and stops", async () => {
    const upstream = await startUpstream();
    const envoy = await startEnvoy({ bootstrap: { appPort: upstream.port } });
    try {
      const res = await fetch(`${envoy.url}/hello?x=1`, { method: "POST", body: "ping", headers: { "x-test": "a" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("server")).toBe("envoy");
      const echo = await res.json();
      expect(echo).toMatchObject({ method: "POST", path: "/hello?x=1" });
      expect(echo.headers).toMatchObject({ "x-test": "a", "x-forwarded-proto": "http", host: `127.0.0.1:${envoy.port}` });
      expect(echo.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

      await envoy.waitForLine("stdout", /^ACCESS /);
      expect(envoy.accessLog()).toEqual([{ code: 200, details: "via_upstream", path: "/hello?x=1" }]);
      expect((await envoy.stats("^cluster\\.app\\.upstream_rq_total$"))["cluster.app.upstream_rq_total"]).toBe(1);
    } finally {
      await envoy.stop();
      await upstream.stop();
    }
    expect(isAlive(envoy.pid)).toBe(false);
  });

  it("ships the V8 Wasm runtime", async () => {
    const upstream = await startUpstream();
    const envoy = await startEnvoy({ bootstrap: { appPort: upstream.port } });
    try {
      const info = JSON.parse(await envoy.admin("/server_info"));
      expect(info.version).toMatch(/\/1\.40\.\d+\//);
      const runtimes = info.node.extensions
        .filter((e: { category: string }) => e.category === "envoy.wasm.runtime")
        .map((e: { name: string }) => e.name);
      expect(runtimes).toContain("envoy.wasm.runtime.v8");
    } finally {
      await envoy.stop();
      await upstream.stop();
    }
  });

  it("rejects with Envoy's stderr when Envoy exits during startup", async () => {
    const start = startEnvoy({
      bootstrap: { appPort: 1, wasm: { wasmFile: "/nonexistent/module.wasm", configuration: "" } },
    });
    const error = await start.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvoyStartError);
    expect((error as EnvoyStartError).exitCode).toBe(1);
    expect((error as EnvoyStartError).stderr).toContain("/nonexistent/module.wasm");
  });
});
