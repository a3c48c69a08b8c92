// The ABI binding (assembly/abi) against the Envoy-like host: every wrapper the filter may use —
// buffers, header maps, properties, http calls with effective context, local replies, metrics,
// shared data with CAS, shared queues, ticks, logging — through a module built on it alone.
import asc from "assemblyscript/asc";
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import type { CallAnswer } from "../../tools/host/types";

const root = resolve(import.meta.dirname, "../..");
let host: ProxyWasmHost;
let answer: CallAnswer | Promise<CallAnswer> = { status: 200, body: "ok" };

function reported(logs: { message: string }[], name: string): string | undefined {
  const prefix = `binding ${name}=`;
  return logs.map((l) => l.message).reverse().find((m) => m.startsWith(prefix))?.slice(prefix.length);
}

beforeAll(async () => {
  mkdirSync(resolve(root, "build/test-units"), { recursive: true });
  const out = resolve(root, "build/test-units/binding.wasm");
  const { error, stderr } = await asc.main([
    resolve(root, "test/fixtures/abi/binding.ts"), "--outFile", out, "--runtime", "minimal", "--exportStart", "_initialize",
    "--use", "abort=assembly/runtime/abort/abortHandler", "--config", resolve(root, "test/as/asconfig.json"),
  ]);
  if (error) throw new Error(stderr.toString());
  host = await ProxyWasmHost.create({ wasm: new Uint8Array(readFileSync(out)), pluginName: "ns.binding", clusters: { backend: () => answer } });
});
afterAll(async () => { await host.close(); });

describe("the ABI binding", () => {
  it("reads the plugin configuration, log level and clock during on_configure", async () => {
    const r = await host.configure("hello config");
    expect(r.accepted).toBe(true);
    expect(reported(host.logs, "config")).toBe("hello config");
    expect(reported(host.logs, "log_level")).toBe("1");
    expect(reported(host.logs, "time_positive")).toBe("true");
    expect(reported(host.logs, "plugin_name")).toBe("ns.binding");
    expect(reported(host.logs, "property_in_root")).toBe("true");
  });

  it("defines and updates metrics with Envoy's semantics", () => {
    expect(reported(host.logs, "counter_zero_increment")).toBe("2"); // BAD_ARGUMENT
    // the canary's on_configure counted too: like Envoy, every VM instance shares one stat
    expect(reported(host.logs, "counter")).toBe("6");
    expect(reported(host.logs, "gauge")).toBe("40");
    expect(host.metric("binding_histogram")).toBeDefined();
  });

  it("reads and writes shared data with compare-and-swap", () => {
    expect(reported(host.logs, "missing_is_null")).toBe("true");
    expect(reported(host.logs, "cas_mismatch")).toBe("true");
    expect(reported(host.logs, "shared")).toBe("v2");
  });

  it("registers, resolves, fills and drains a shared queue", async () => {
    await host.idle();
    expect(reported(host.logs, "queue_resolves")).toBe("true");
    // the canary's on_configure enqueued too: queues are process-wide, like Envoy's
    expect(host.logs.filter((l) => l.message === "binding dequeued=item-1")).toHaveLength(2);
  });

  it("sets a tick period and receives ticks", () => {
    expect(reported(host.logs, "tick_status")).toBe("0");
    host.advance(2500);
    expect(reported(host.logs, "ticks")).toBe("2");
  });

  it("reads and mutates request headers, reads properties, pauses on an http call and continues from the root context", async () => {
    answer = { status: 200, body: "ok" };
    const r = await host.request({ headers: [[":authority", "a"], [":path", "/"], [":method", "GET"], ["x-dup", "1"], ["x-dup", "2"], ["x-remove", "r"]], source: "10.1.2.3:4567" });
    expect(reported(r.logs, "pairs")).toBe("6/6");
    expect(reported(r.logs, "first_value")).toBe("1");
    expect(reported(r.logs, "absent_is_null")).toBe("true");
    expect(reported(r.logs, "source")).toBe("10.1.2.3:4567");
    expect(reported(r.logs, "call_dispatched")).toBe("0");
    expect(reported(r.logs, "call_status")).toBe("200");
    expect(reported(r.logs, "call_body")).toBe("ok");
    expect(reported(r.logs, "caller_gone")).toBe("false");
    expect(r.outcome).toBe("continue");
    expect(r.requestHeaders.filter(([k]) => k === "x-dup")).toEqual([["x-dup", "replaced"]]);
    expect(r.requestHeaders.find(([k]) => k === "x-remove")).toBeUndefined();
    expect(r.requestHeaders).toContainEqual(["x-after-call", "yes"]);
  });

  it("sends a local reply with headers and details after the call", async () => {
    answer = { status: 403 };
    const r = await host.request({ headers: [[":authority", "a"], [":path", "/"], [":method", "GET"]] });
    expect([r.outcome, r.status, r.body, r.details]).toEqual(["local_reply", 418, "no\n", "binding_denied"]);
    expect(r.replyHeaders).toContainEqual(["x-reply", "1"]);
  });

  it("reports a failed call (no headers) and the host's status code", async () => {
    answer = "reset";
    const r = await host.request({ headers: [[":authority", "a"], [":path", "/"], [":method", "GET"]] });
    expect(reported(r.logs, "call_status")).toBe("none");
    expect(reported(r.logs, "call_failure_code")).toBe("11");
    expect(r.status).toBe(418);
  });

  it("delivers an answer to its handler when the stream that made the call is gone", async () => {
    let release!: () => void;
    answer = new Promise((resolve) => { release = () => resolve({ status: 200, body: "late" }); });
    const r = await host.request({ headers: [[":authority", "a"], [":path", "/"], [":method", "GET"]], hangTimeoutMs: 20 });
    expect(r.outcome).toBe("hung"); // the client gave up: the stream is deleted
    const from = host.logs.length;
    release();
    await host.idle();
    const logs = host.logs.slice(from);
    expect(reported(logs, "call_body")).toBe("late");
    expect(reported(logs, "caller_gone")).toBe("true");
  });

  it("ignores an answer for a call id it never made", () => {
    const vm = host.instances[0];
    const from = host.logs.length;
    vm.call("proxy_on_http_call_response", vm.root, vm.root!.id, 987654, 1, 0, 0);
    expect(vm.failed).toBe(false);
    expect(host.logs.slice(from).filter((l) => l.message.startsWith("binding call_"))).toEqual([]);
  });

  it("never failed the VM", () => {
    for (const i of host.instances) expect(i.failed).toBe(false);
  });
});
