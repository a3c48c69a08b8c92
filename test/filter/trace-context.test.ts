// The authrep call carries the client's trace headers — exactly the listed ones present, first
// occurrence, printable ASCII up to 512 bytes — unless backend.propagate_trace_context is false;
// report calls never carry any.
import { afterEach, describe, expect, it } from "vitest";
import type { Header } from "../../tools/host/types";
import { config } from "../support/configs";
import { authrepCall, get, plugin, type Plugin } from "../support/module";
import { cachedConfig, gate, gateway, type Gateway, settle, user, userService } from "../cache/support";

const TRACE: Header[] = [
  ["traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
  ["tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"],
  ["b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90"],
  ["x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"],
  ["x-b3-spanid", "e457b5a2e4d86bd1"],
  ["x-b3-parentspanid", "05e3ac9a4f6e3b90"],
  ["x-b3-sampled", "1"],
  ["x-b3-flags", "1"],
  ["x-request-id", "6f1c2b9e-8a6d-4a57-9a43-1f2d3c4b5a69"],
];
/** headers a client may send that are not trace context: none may reach the backend */
const OTHERS: Header[] = [
  ["authorization", "Bearer secret"], ["cookie", "a=b"], ["x-forwarded-for", "10.0.0.1"], ["x-b3-other", "1"],
  ["grpc-trace-bin", "AAA"], ["uber-trace-id", "1:2:3:1"], ["x-cloud-trace-context", "1/2;o=1"], ["baggage", "k=v"],
];
/** what the module puts on every authrep call (test/filter/requests.test.ts pins them) */
const OWN = [":authority", ":scheme", ":method", ":path", "3scale-options", "user-agent"];

let p: Plugin | undefined;
let g: Gateway | undefined;
afterEach(async () => { await p?.close(); await g?.close(); p = g = undefined; });

async function traceSent(headers: Header[], extra: Record<string, unknown> = {}): Promise<Header[]> {
  const c = config();
  p = await plugin({ ...c, backend: { ...(c.backend as object), ...extra } });
  const call = authrepCall(await get(p, "/?user_key=k", headers))!;
  return call.headers.filter(([name]) => !OWN.includes(name));
}

describe("trace context on the authrep call", () => {
  it("carries exactly the client's trace headers, in a fixed order, and nothing else", async () => {
    expect(await traceSent([...OTHERS, ...[...TRACE].reverse()])).toEqual(TRACE);
  });

  it("carries none when the client sent none", async () => {
    expect(await traceSent(OTHERS)).toEqual([]);
  });

  it("carries each one alone", async () => {
    for (const h of TRACE) {
      expect(await traceSent([h])).toEqual([h]);
      await p!.close();
      p = undefined;
    }
  });

  it("names in any case (the host presents them in lower case); the first occurrence wins", async () => {
    expect(await traceSent([["TraceParent", "x"], ["x-request-id", "first"], ["X-Request-Id", "second"]])).toEqual([["traceparent", "x"], ["x-request-id", "first"]]);
  });

  it.each<[string, string]>([
    ["CR", "abc\rdef"], ["LF", "abc\ndef"], ["NUL", "abc\0def"], ["TAB", "abc\tdef"], ["DEL", "abc\x7fdef"],
    ["non-ASCII", "abcé"], ["513 bytes", "a".repeat(513)],
  ])("drops a value with %s, keeps the others", async (_, value) => {
    expect(await traceSent([["tracestate", value], ["x-request-id", "id-1"]])).toEqual([["x-request-id", "id-1"]]);
  });

  it("keeps a value of 512 bytes and an empty one", async () => {
    expect(await traceSent([["tracestate", "a".repeat(512)], ["x-b3-flags", ""]])).toEqual([["tracestate", "a".repeat(512)], ["x-b3-flags", ""]]);
  });

  it.each([false, null])("propagate_trace_context %s: false turns it off, null keeps the default (on)", async (value) => {
    expect(await traceSent(TRACE, { propagate_trace_context: value })).toEqual(value === false ? [] : TRACE);
  });
});

describe("report calls are their own traces", () => {
  it("a batched report carries no trace header of the requests it reports", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 }, services: [userService()] }));
    g.backend = () => ({ status: 200 });
    const traced = (key: string) => g!.host.request({ headers: [[":authority", "api.example.com"], [":path", `/?user_key=${key}`], [":method", "GET"], [":scheme", "https"], ...TRACE] });
    for (let i = 0; i < 3; i++) expect((await traced("k")).outcome).toBe("continue");
    expect(g.authreps()).toHaveLength(1);
    expect(g.authreps()[0]!.headers.filter(([name]) => TRACE.some(([t]) => t === name))).toEqual(TRACE);
    await g.advance(5_000);
    const [report] = g.reports();
    expect(report).toBeDefined();
    expect(report!.headers.map(([name]) => name).filter((name) => TRACE.some(([t]) => t === name))).toEqual([]);
    expect((await user(g, "k")).outcome).toBe("continue");
  });
});

describe("a request that waited", () => {
  it("carries its own trace headers when it asks the backend later, whatever its worker served meanwhile", async () => {
    g = await gateway(cachedConfig({ failure_policy: { mode: "closed" }, services: [userService()] }));
    const hold = gate();
    let calls = 0;
    g.backend = async () => (++calls === 1 ? (await hold.wait, "reset") : { status: 200 });
    const traced = (key: string, id: string, worker: number) => g!.host.request({
      headers: [[":authority", "api.example.com"], [":path", `/?user_key=${key}`], [":method", "GET"], [":scheme", "https"], ["x-request-id", id]], worker,
    });
    const lead = traced("k", "lead", 0);
    await settle();
    const waiting = traced("k", "waiter", 1); // parked on worker 0's lease
    await settle();
    expect((await traced("other", "meanwhile", 1)).outcome).toBe("continue");
    hold.open();
    expect((await lead).status).toBe(502);
    expect((await waiting).outcome).toBe("continue");
    const ids = g.authreps().map((c) => [c.instance, c.headers.find(([name]) => name === "x-request-id")?.[1]]);
    expect(ids).toEqual([["worker 0", "lead"], ["worker 1", "meanwhile"], ["worker 1", "waiter"]]);
  });
});
