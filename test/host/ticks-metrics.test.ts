import { describe, expect, it } from "vitest";
import { configuredHost, GET, header } from "./support";

const START_MS = 1_700_000_000_000;
const ticksOf = (lines: { instance: string; message: string }[]) =>
  lines.filter((l) => l.message.startsWith("tick")).map((l) => `${l.instance}: ${l.message}`);

describe("ticks on virtual time", () => {
  it("fires each worker's root context once per period, one period after it was set", async () => {
    const host = await configuredHost("ticks", "100", { concurrency: 2, startTimeMs: START_MS });
    host.advance(99);
    expect(ticksOf(host.logs)).toEqual([]);
    host.advance(151);
    const at = (ms: number) => `${BigInt(START_MS + ms) * 1_000_000n}`;
    expect(ticksOf(host.logs)).toEqual([
      `worker 0: tick on root 1 at ${at(100)} wasi ${at(100)}`,
      `worker 1: tick on root 1 at ${at(100)} wasi ${at(100)}`,
      `worker 0: tick on root 1 at ${at(200)} wasi ${at(200)}`,
      `worker 1: tick on root 1 at ${at(200)} wasi ${at(200)}`,
    ]);
    expect(host.metric("fixture.ticks")?.value).toBe(4); // the canary never ticks
  });

  it("lets a stream context set its root context's period; 0 disables", async () => {
    const host = await configuredHost("ticks", "0");
    host.advance(1000);
    await host.request({ headers: GET("/", [["x-test", "period"], ["x-period", "10"]]) });
    host.advance(25);
    expect(ticksOf(host.logs)).toHaveLength(2);
    await host.request({ headers: GET("/", [["x-test", "period"], ["x-period", "0"]]) });
    host.advance(100);
    expect(ticksOf(host.logs)).toHaveLength(2);
  });
});

describe("metrics with Envoy semantics", () => {
  it("answers each operation like Envoy and aggregates across workers", async () => {
    const host = await configuredHost("ticks", "0", { concurrency: 2 });
    expect(host.logs.filter((l) => l.instance === "worker 1").map((l) => l.message)).toContain("metric ids 4 8 5 6");
    const r = await host.request({ headers: GET("/", [["x-test", "metrics"]]), worker: 0 });
    const status = (name: string) => header(r.requestHeaders, name);
    expect(status("x-inc-zero")).toBe("2");
    expect(status("x-inc-negative")).toBe("2");
    expect(status("x-inc")).toBe("0");
    expect(status("x-record-counter")).toBe("0");
    expect(status("x-counter")).toBe("6"); // record on a counter adds
    expect([status("x-gauge-record"), status("x-gauge-dec"), status("x-gauge")]).toEqual(["0", "0", "7"]);
    expect([status("x-hist-inc"), status("x-hist-record"), status("x-hist-get")]).toEqual(["2", "0", "<2>"]);
    expect(status("x-unknown")).toBe("1");
    expect(status("x-bad-type")).toBe("2");
    await host.request({ headers: GET("/", [["x-test", "metrics"]]), worker: 1 });
    expect(host.metric("fixture.requests")).toEqual({ kind: "counter", value: 12, samples: [] });
    expect(host.metric("wasmcustom.fixture.requests")?.value).toBe(12);
    expect(host.metric("fixture.latency")).toEqual({ kind: "histogram", value: 2, samples: [42, 42] });
    expect(host.metrics()["fixture.gauge"]).toMatchObject({ kind: "gauge", value: 7 });
  });
});
