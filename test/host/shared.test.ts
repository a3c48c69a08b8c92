import { describe, expect, it } from "vitest";
import { ProxyWasmHost, SharedState } from "../../tools/host";
import { configuredHost, fixture, GET, header } from "./support";

const act = (test: string, extra: [string, string][] = []) => GET("/", [["x-test", test], ...extra]);

describe("shared data across instances", () => {
  it("is visible on every worker, with Envoy's CAS rules", async () => {
    const host = await configuredHost("shared", "", { concurrency: 2 });
    const set = (worker: number, value: string, cas = "0") =>
      host.request({ headers: act("set", [["x-key", "k"], ["x-value", value], ["x-cas", cas]]), worker });
    const get = (worker: number) => host.request({ headers: act("get", [["x-key", "k"]]), worker });

    expect(header((await get(1)).requestHeaders, "x-status")).toBe("1"); // NOT_FOUND
    expect(header((await set(0, "v1", "77")).requestHeaders, "x-status")).toBe("0"); // missing key: created
    const read = (await get(1)).requestHeaders;
    expect(header(read, "x-got")).toBe("v1");
    const cas = header(read, "x-cas") as string;
    expect(header((await set(1, "v2", String(Number(cas) + 1))).requestHeaders, "x-status")).toBe("8"); // CAS_MISMATCH
    expect(header((await set(1, "v2", cas)).requestHeaders, "x-status")).toBe("0");
    expect(header((await set(0, "v3", cas)).requestHeaders, "x-status")).toBe("8"); // stale token
    expect(host.sharedData.get("k")).toEqual({ value: "v2", cas: Number(cas) + 1 });
  });

  it("can be preseeded by tests and shared between hosts of one proxy", async () => {
    const shared = new SharedState();
    const a = await configuredHost("shared", "", { shared });
    const b = await configuredHost("shared", "", { shared });
    a.sharedData.set("seed", "s");
    expect(header((await b.request({ headers: act("get", [["x-key", "seed"]]) })).requestHeaders, "x-got")).toBe("s");
    const other = await configuredHost("shared", "", { shared, vmId: "other" });
    expect(header((await other.request({ headers: act("get", [["x-key", "seed"]]) })).requestHeaders, "x-status")).toBe("1");
  });
});

describe("shared queues", () => {
  it("delivers on_queue_ready later to the latest registrant, which dequeues until EMPTY", async () => {
    const host = await ProxyWasmHost.create({ wasm: await fixture("shared"), concurrency: 2 });
    const startup = await host.configure("");
    // canary, worker 0 and worker 1 all register "jobs": the same queue id
    expect(startup.logs.map((l) => l.message)).toEqual(Array(3).fill("registered jobs as 1"));
    const r = await host.request({ headers: act("enqueue", [["x-value", "job-1"]]), worker: 0 });
    expect([header(r.requestHeaders, "x-resolve-status"), header(r.requestHeaders, "x-status")]).toEqual(["0", "0"]);
    expect(r.logs.some((l) => l.message.startsWith("dequeued"))).toBe(false); // not inside the enqueue
    await host.idle();
    expect(host.logs.slice(-2)).toEqual([
      { instance: "worker 1", level: "info", message: "dequeued job-1 (6a6f622d31)" },
      { instance: "worker 1", level: "info", message: "queue 1 on root 1 drained: 7" },
    ]);
  });

  it("reports unknown queues as NOT_FOUND", async () => {
    const host = await configuredHost("shared");
    const resolve = await host.request({ headers: act("enqueue", [["x-queue", "nope"]]) });
    expect(header(resolve.requestHeaders, "x-resolve-status")).toBe("1");
    expect(header((await host.request({ headers: act("dequeue-unknown") })).requestHeaders, "x-status")).toBe("1");
  });
});
