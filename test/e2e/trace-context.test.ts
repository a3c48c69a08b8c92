// Trace context in real Envoy (two workers): the authrep call arrives at the backend with
// exactly the trace headers the client's request carried past the filter (the upstream echoes
// them: Envoy itself adds x-request-id to every request it receives, so a client sending none
// still has one), nothing else of the client's; report and portal calls carry none.
import { describe, expect, it } from "vitest";
import type { IncomingHttpHeaders } from "node:http";
import type { LoggedRequest } from "../../tools/simulator/server";
import type { Seed } from "../../tools/simulator/seed";
import { config, service } from "../support/configs";
import { envoyBin, send, SERVICE_ID, SERVICE_TOKEN, startInto, stopAfterEach } from "./support";

const SYSTEM_CLUSTER = "outbound|443||tenant-admin.3scale.net";
const ACCESS_TOKEN = "pat-e2e";
const seed: Seed = {
  providers: [{ key: "pk", accessTokens: [ACCESS_TOKEN] }],
  services: [{
    id: SERVICE_ID, providerKey: "pk", tokens: [SERVICE_TOKEN],
    metrics: [{ name: "hits" }],
    applications: [{ id: "a-1", userKey: "k-1" }, { id: "a-2", userKey: "k-2" }, { id: "a-3", userKey: "k-3" }],
  }],
};

const TRACE_NAMES = ["traceparent", "tracestate", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "x-request-id"];
const TRACE: Record<string, string> = {
  "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  "tracestate": "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
  "b3": "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90",
  "x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7",
  "x-b3-spanid": "e457b5a2e4d86bd1",
  "x-b3-parentspanid": "05e3ac9a4f6e3b90",
  "x-b3-sampled": "1",
  "x-b3-flags": "1",
  "x-request-id": "6f1c2b9e-8a6d-4a57-9a43-1f2d3c4b5a69",
};
/** client headers that are not trace context */
const OTHERS = { "authorization": "Bearer secret", "cookie": "a=b", "baggage": "k=v", "x-b3-other": "1", "uber-trace-id": "1:2:3:1", "x-custom": "c" };

const stack = stopAfterEach();

function pluginConfig(backend: Record<string, unknown> = {}) {
  const c = config([service({ id: SERVICE_ID, token: SERVICE_TOKEN, authorities: ["api.example.com"] })], {
    system: { upstream: { name: SYSTEM_CLUSTER, url: "http://tenant-admin.3scale.net/", timeout: 2000 }, token: ACCESS_TOKEN, ttl: 300 },
  });
  return { ...c, backend: { ...(c.backend as object), cache: { report_interval: 1 }, ...backend } };
}

const pick = (h: IncomingHttpHeaders, names: string[]) => Object.fromEntries(names.filter((n) => h[n] !== undefined).map((n) => [n, h[n]]));
const traceOf = (h: IncomingHttpHeaders) => pick(h, TRACE_NAMES);
const authrepOf = (requests: readonly LoggedRequest[], key: string) =>
  requests.find((r) => r.pathname === "/transactions/authrep.xml" && (r.params as { user_key?: string } | undefined)?.user_key === key);
/** a request through Envoy, with what the upstream received */
async function through(envoy: Parameters<typeof send>[0], key: string, headers: Record<string, string>) {
  const r = await send(envoy, `/?user_key=${key}`, { host: "api.example.com", ...headers });
  expect(r.status).toBe(200);
  return JSON.parse(r.body) as { headers: IncomingHttpHeaders };
}

describe.skipIf(!envoyBin)("trace context on backend calls in real Envoy", () => {
  it("the authrep call carries exactly the client's trace headers; reports and the portal fetch carry none", async () => {
    const { envoy, simulator } = await startInto(stack, {
      seed, configuration: JSON.stringify(pluginConfig()), name: "e2e.trace", clusters: [SYSTEM_CLUSTER],
    });
    await simulator.waitForRequest((r) => r.pathname.endsWith("/latest.json"));

    const traced = await through(envoy, "k-1", { ...TRACE, ...OTHERS });
    const plain = await through(envoy, "k-2", OTHERS);
    const bare = await through(envoy, "k-3", {});
    // what Envoy let reach the filter: the client's trace headers as sent; its own x-request-id otherwise
    expect(traceOf(traced.headers)).toEqual(TRACE);
    expect(Object.keys(traceOf(plain.headers))).toEqual(["x-request-id"]);
    expect(Object.keys(traceOf(bare.headers))).toEqual(["x-request-id"]);

    const calls = ["k-1", "k-2", "k-3"].map((k) => authrepOf(simulator.requests, k)!);
    expect(calls.map((c) => traceOf(c.headers))).toEqual([traced, plain, bare].map((u) => traceOf(u.headers)));
    // nothing else of the client's: besides the trace context, the module's own headers and the two Envoy adds to every callout
    const names = (r: LoggedRequest) => Object.keys(r.headers).filter((n) => !TRACE_NAMES.includes(n)).sort();
    for (const call of calls) expect(names(call)).toEqual(["3scale-options", "host", "user-agent", "x-envoy-expected-rq-timeout-ms", "x-envoy-internal"]);

    // a request from the cache is reported in a batch that is its own trace
    await through(envoy, "k-1", TRACE);
    const report = await simulator.waitForRequest((r) => r.pathname === "/transactions.xml");
    const fetch = simulator.requests.find((r) => r.pathname.endsWith("/latest.json"))!;
    expect([traceOf(report.headers), traceOf(fetch.headers)]).toEqual([{}, {}]);
  });

  it("propagate_trace_context false: the authrep call carries none", async () => {
    const { envoy, simulator } = await startInto(stack, {
      seed, configuration: JSON.stringify(pluginConfig({ propagate_trace_context: false })), name: "e2e.trace-off", clusters: [SYSTEM_CLUSTER],
    });
    const upstream = await through(envoy, "k-1", TRACE);
    expect(traceOf(upstream.headers)).toEqual(TRACE);
    expect(traceOf(authrepOf(simulator.requests, "k-1")!.headers)).toEqual({});
  });
});
