// Pins down what proxy_http_call delivers in Envoy 1.40 (tools/envoy/FACTS.md (c)).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { act, envoyBin, refusedPort, silentServer, startFixtureEnvoy, type FixtureEnvoy } from "./support";

describe.skipIf(!envoyBin)("Envoy 1.40 facts: proxy_http_call", () => {
  let f: FixtureEnvoy;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let backend: Upstream;
  beforeAll(async () => {
    silent = await silentServer();
    backend = await startUpstream();
    f = await startFixtureEnvoy({
      clusters: { refused: await refusedPort(), silent: silent.port, "outbound|443||su1.3scale.net": backend.port },
    });
  });
  afterAll(async () => {
    await f?.stop();
    await silent?.stop();
    await backend?.stop();
  });

  const callResult = async (action: string) => {
    const r = await act(f.envoy, action);
    expect(r.status).toBe(200); // the fixture always continues the request
    return r.echo!.headers["x-call-result"] as string;
  };

  it("connection refused → a local 503 with 3 headers, not a 0-header failure", async () => {
    expect(await callResult("call refused 1000")).toBe(
      "headers=3 names=:status,content-length,content-type status=503 body_size=98 trailers=0 get_status=0: " +
        "body=upstream connect error or disconnect/reset before headers. reset reason: remote connection failure",
    );
  });

  it("timeout → a local 504 `upstream request timeout`", async () => {
    expect(await callResult("call silent 200")).toBe(
      "headers=3 names=:status,content-length,content-type status=504 body_size=24 trailers=0 get_status=0: " +
        "body=upstream request timeout",
    );
  });

  it("unknown cluster → BAD_ARGUMENT (2) synchronously, no callback", async () => {
    expect(await callResult("call no-such-cluster 1000")).toBe("call_status=2");
  });

  it("success → the backend sees :authority as host, x-envoy-internal, and the timeout", async () => {
    const received = async (timeoutMs: number) => {
      const result = await callResult(`call outbound|443||su1.3scale.net ${timeoutMs}`);
      expect(result).toMatch(/^headers=\d+ names=:status,.* status=200 .* get_status=0: body=/);
      return JSON.parse(result.slice(result.indexOf(" body=") + 6)).headers;
    };
    expect(await received(1000)).toEqual({ host: "backend", "x-envoy-internal": "true", "x-envoy-expected-rq-timeout-ms": "1000" });
    // timeout_ms 0 sets no timeout at all
    expect(await received(0)).toEqual({ host: "backend", "x-envoy-internal": "true" });
  });
});
