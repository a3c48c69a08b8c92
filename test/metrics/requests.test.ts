// Each way a request ends increments exactly its `requests.*` counter, plus the backend
// counters when it called the backend; nothing else changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProxyWasmHost } from "../../tools/host";
import type { CallAnswer, Header } from "../../tools/host/types";
import { config, service } from "../support/configs";
import { requestHeaders } from "../support/module";
import { type Backend, delta, start } from "./support";

const SITE = "api.example.com";
const OWN = "authrep_wasm.service.2555417900001"; // the default service's own counters (test/support/configs.ts)
const call = (statusClass: string) => ({
  "authrep_wasm.backend.calls": 1, [`authrep_wasm.backend.status.${statusClass}`]: 1, [`${OWN}.backend.status.${statusClass}`]: 1,
  "authrep_wasm.backend.latency_ms": 1,
});
/** a denial before the service is selected counts globally only */
const deniedEarly = (reason: string) => ({ [`authrep_wasm.requests.denied.${reason}`]: 1 });
const denied = (reason: string) => ({ ...deniedEarly(reason), [`${OWN}.requests.denied.${reason}`]: 1 });
const allowed = { "authrep_wasm.requests.allowed": 1, [`${OWN}.requests.allowed`]: 1 };

describe("request metrics", () => {
  const backend: Backend = { answer: { status: 200 }, latencyMs: 0 };
  let host: ProxyWasmHost;
  beforeAll(async () => { host = await start(config([service({ authorities: [SITE] })]), backend); });
  afterAll(async () => { await host?.close(); });

  it.each<[string, Header[], CallAnswer, Record<string, number>]>([
    ["allowed", requestHeaders("/?user_key=k", [], "GET", SITE), { status: 200 }, { ...allowed, ...call("2xx") }],
    ["unknown service", requestHeaders("/?user_key=k", [], "GET", "other.org"), { status: 200 }, deniedEarly("unknown_service")],
    ["credentials missing", requestHeaders("/", [], "GET", SITE), { status: 200 }, denied("credentials_missing")],
    ["no mapping rule", requestHeaders("/?user_key=k", [], "POST", SITE), { status: 200 }, denied("no_mapping_rule")],
    ["no :authority", [[":path", "/"], [":method", "GET"]], { status: 200 }, deniedEarly("bad_request")],
    ["limits exceeded (409)", requestHeaders("/?user_key=k", [], "GET", SITE),
      { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] }, { ...denied("limits_exceeded"), ...call("4xx") }],
    ["denied by the backend (403)", requestHeaders("/?user_key=k", [], "GET", SITE), { status: 403 }, { ...denied("auth_failed"), ...call("4xx") }],
    ["backend timeout (Envoy's local 504)", requestHeaders("/?user_key=k", [], "GET", SITE), "timeout", { ...denied("auth_failed"), ...call("5xx") }],
    ["a 302 from the backend", requestHeaders("/?user_key=k", [], "GET", SITE), { status: 302 }, { ...denied("auth_failed"), ...call("invalid") }],
    ["a non-numeric status", requestHeaders("/?user_key=k", [], "GET", SITE), { headers: [[":status", "2x0"]] }, { ...denied("auth_failed"), ...call("invalid") }],
    ["no answer (reset)", requestHeaders("/?user_key=k", [], "GET", SITE), "reset", {
      ...denied("backend_unavailable"), "authrep_wasm.backend.calls": 1, "authrep_wasm.backend.failures": 1, "authrep_wasm.backend.latency_ms": 1,
    }],
  ])("%s", async (_, headers, answer, expected) => {
    backend.answer = answer;
    expect(await delta(host, () => host.request({ headers }))).toEqual(expected);
  });

  it("records the backend latency in ms of the host clock", async () => {
    backend.answer = { status: 200 };
    backend.latencyMs = 37;
    await host.request({ headers: requestHeaders("/?user_key=k", [], "GET", SITE) });
    backend.latencyMs = 0;
    const latency = host.metric("authrep_wasm.backend.latency_ms");
    expect(latency?.kind).toBe("histogram");
    expect(latency?.samples.at(-1)).toBe(37);
  });
});

describe("request metrics of other configurations", () => {
  it.each<[string, object, Record<string, number>]>([
    ["a service without token", config([service({ token: null })]), denied("config_incomplete")],
    ["no backend", { api: "v1", services: [service()] }, denied("config_incomplete")],
    ["pass-through mode", config([service()], { passthrough_metadata: true }), allowed],
    ["a backend cluster unknown to the host (dispatch refused)", config([service()], { backend: { upstream: { name: "no-such-cluster", url: "https://x/" } } }),
      { ...denied("backend_unavailable"), "authrep_wasm.backend.calls": 1, "authrep_wasm.backend.failures": 1 }],
  ])("%s", async (_, configuration, expected) => {
    const host = await start(configuration);
    try {
      expect(await delta(host, () => host.request({ headers: requestHeaders("/?user_key=k") }))).toEqual(expected);
    } finally { await host.close(); }
  });
});
