// Reports: one POST /transactions.xml per credential and worker every report_interval, the
// credential's usage summed over its keys (the backend counts a call all or nothing, so one
// rejected credential never takes another's usage down). Undelivered reports (no answer, 5xx)
// are retried at the next report and dropped after report_retries failures; a 4xx answer drops
// the usage at once. Dropped requests are counted.
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer } from "../../tools/host/types";
import { header } from "../support/module";
import { app, cachedConfig, gateway, isReport, reportParams, user, USER_SERVICE, userService, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

/** one authrep and `n` - 1 requests from the cache, all on worker 0 */
async function use(g: Gateway, n: number, key = "k", path = "/"): Promise<void> {
  for (let i = 0; i < n; i++) expect((await user(g, key, { worker: 0, path })).status).toBe(200);
}

/** the report calls' decoded bodies */
const bodies = (g: Gateway) => g.reports().map((c) => Object.fromEntries(reportParams(c)));

describe("report contents", () => {
  it("sums each credential's usage over its keys into one transaction, one call per credential", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    await use(g, 3, "k", "/");
    await use(g, 3, "k", "/products/1");
    await use(g, 2, "k2", "/");
    await g.advance(5_000);
    expect(bodies(g)).toEqual([{
      service_token: "st-6e2d", service_id: USER_SERVICE,
      "transactions[0][user_key]": "k", "transactions[0][usage][hits]": "4", "transactions[0][usage][products]": "2",
    }, {
      service_token: "st-6e2d", service_id: USER_SERVICE, "transactions[0][user_key]": "k2", "transactions[0][usage][hits]": "1",
    }]);
    expect(g.metric("reports.requests")).toBe(2 + 2 + 1);
    expect(g.host.metric("authrep_wasm.reports.batch_size")?.samples).toEqual([4, 1]);
  });

  it("percent-encodes credentials and sends app ids without their keys", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    await use(g, 2, "a&b=c%d e+f");
    for (let i = 0; i < 2; i++) await app(g, "app 1&x", "key-1", { worker: 0 });
    await g.advance(5_000);
    const raw = g.reports().map((c) => String(c.body)).join("\n");
    expect(raw).not.toContain("key-1");
    expect(raw).toContain("transactions%5B0%5D%5Bapp_id%5D=app%201%26x");
    expect(bodies(g)).toEqual(expect.arrayContaining([
      expect.objectContaining({ "transactions[0][user_key]": "a&b=c%d e+f", "transactions[0][usage][hits]": "1" }),
      expect.objectContaining({ service_id: "7", service_token: "tok-7", "transactions[0][app_id]": "app 1&x", "transactions[0][usage][hits]": "1" }),
    ]));
  });

  it("keeps the backend URL's base path and query, and encodes odd service ids and metric names", async () => {
    const odd = { method: "GET", pattern: "/", usages: [{ name: "my metric/ä&x", delta: 2 }] };
    const cfg = cachedConfig({ cache: { report_interval: 5 }, services: [userService({ id: "a/b c", mapping_rules: [odd] })] });
    (cfg.backend as { upstream: { url: string } }).upstream.url = "https://su1.3scale.net/base/?x=1";
    g = await gateway(cfg);
    await use(g, 3);
    await g.advance(5_000);
    const [call] = g.reports();
    expect(header(call!, ":path")).toBe("/base/transactions.xml?x=1");
    expect(Object.fromEntries(reportParams(call!))).toEqual({
      service_token: "st-6e2d", service_id: "a/b c", "transactions[0][user_key]": "k", "transactions[0][usage][my metric/ä&x]": "4",
    });
  });

  it("sends nothing when nothing was used, and nothing twice", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 2 } }));
    await user(g, "k"); // reported by its own authrep
    await g.advance(10_000);
    expect(g.reports()).toHaveLength(0);
    await use(g, 3);
    await g.advance(10_000);
    expect(g.reports()).toHaveLength(1);
    expect(g.metric("reports.calls")).toBe(1);
  });

  it("reports a key used on both workers once: the first worker to report takes the shared slot", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    for (const worker of [0, 1, 0, 1, 1]) await user(g, "k", { worker });
    await g.advance(5_000);
    expect(g.reports().map((c) => reportParams(c).get("transactions[0][usage][hits]"))).toEqual(["4"]);
    await g.advance(10_000);
    expect(g.metric("reports.requests")).toBe(4);
  });

  it("has a worker report usage only it recorded (after the first report, which scans every slot)", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    await g.advance(5_000);
    await user(g, "k", { worker: 0 });
    for (let i = 0; i < 3; i++) await user(g, "k", { worker: 1 });
    await g.advance(5_000);
    expect(g.reports().map((c) => [c.instance, reportParams(c).get("transactions[0][usage][hits]")])).toEqual([["worker 1", "3"]]);
  });
});

describe("undelivered reports", () => {
  const failures: [string, CallAnswer][] = [
    ["a 503", { status: 503 }], ["no answer", "reset"], ["Envoy's local 504", "timeout"], ["a 302", { status: 302 }],
    ["a 429 (come back later)", { status: 429 }], ["a 408 (come back later)", { status: 408 }], ["a malformed 2x0", { headers: [[":status", "2x0"]] }],
  ];
  for (const [name, answer] of failures) {
    it(`retries a report that got ${name} at the next report, merged with newer usage`, async () => {
      g = await gateway(cachedConfig({ cache: { report_interval: 5, authorization_ttl: 60 } }));
      await use(g, 4);
      g.backend = (call) => (isReport(call) ? answer : { status: 200 });
      await g.advance(5_000);
      expect([g.metric("reports.calls"), g.metric("reports.failures")]).toEqual([1, 1]);
      await use(g, 2);
      g.backend = () => ({ status: 200 });
      await g.advance(5_000);
      expect(g.reports().map((c) => reportParams(c).get("transactions[0][usage][hits]"))).toEqual(["3", "5"]);
      expect([g.metric("reports.requests"), g.metric("reports.dropped_requests")]).toEqual([5, 0]);
      expect(g.host.logs.some((l) => l.level === "warn" && l.message.includes("not delivered") && l.message.includes("retried at the next report"))).toBe(true);
    });
  }

  it("drops the usage after report_retries failed retries, and counts it", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5, report_retries: 2 } }));
    await use(g, 5);
    g.backend = (call) => (isReport(call) ? { status: 503 } : { status: 200 });
    await g.advance(15_000);
    expect(g.reports()).toHaveLength(3); // the first attempt and two retries
    expect(g.metric("reports.failures")).toBe(3);
    expect(g.metric("reports.dropped_requests")).toBe(4);
    expect(g.metric("reports.requests")).toBe(0);
    expect(g.host.logs.some((l) => l.message.includes("usage of 4 request(s) dropped: not delivered after 3 attempts"))).toBe(true);
    g.backend = () => ({ status: 200 });
    await g.advance(30_000);
    expect(g.reports()).toHaveLength(3);
  });

  it("drops at the first failure with report_retries 0", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5, report_retries: 0 } }));
    await use(g, 3);
    g.backend = (call) => (isReport(call) ? "reset" : { status: 200 });
    await g.advance(20_000);
    expect(g.reports()).toHaveLength(1);
    expect(g.metric("reports.dropped_requests")).toBe(2);
  });

  it("retries a report the host refuses to dispatch (unknown cluster), then drops it", async () => {
    const cfg = cachedConfig({ cache: { report_interval: 5, report_retries: 1 }, failure_policy: { mode: "open" } });
    (cfg.backend as { upstream: { name: string } }).upstream.name = "no-such-cluster";
    g = await gateway(cfg);
    for (let i = 0; i < 3; i++) expect((await user(g, "k", { worker: 0 })).status).toBe(200);
    await g.advance(20_000);
    expect([g.metric("reports.calls"), g.metric("reports.failures"), g.metric("reports.dropped_requests")]).toEqual([2, 2, 3]);
    expect(g.host.logs.some((l) => l.message.includes("report dispatch to cluster `no-such-cluster` refused by the host"))).toBe(true);
  });

  it("retries 60 times by default", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 1 } }));
    await use(g, 2);
    g.backend = (call) => (isReport(call) ? { status: 500 } : { status: 200 });
    await g.advance(70_000);
    expect(g.reports()).toHaveLength(61);
    expect(g.metric("reports.dropped_requests")).toBe(1);
  });

  for (const status of [400, 403, 404, 422]) {
    it(`drops a report the backend rejects with ${status}, counts it and does not retry`, async () => {
      g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
      await use(g, 4);
      g.backend = (call) => (isReport(call) ? { status } : { status: 200 });
      await g.advance(20_000);
      expect(g.reports()).toHaveLength(1);
      expect([g.metric("reports.dropped_requests"), g.metric("reports.failures"), g.metric("reports.requests")]).toEqual([3, 0, 0]);
      expect(g.host.logs.some((l) => l.level === "warn" && l.message.includes(`rejected by the backend (${status})`))).toBe(true);
    });
  }

  it("puts back each service's usage separately: a rejected service does not take the other down", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    await use(g, 3);
    for (let i = 0; i < 3; i++) await app(g, "app-1", "key-1", { worker: 0 });
    g.backend = (call) => (isReport(call) && reportParams(call).get("service_id") === "7" ? { status: 503 } : { status: 200 });
    await g.advance(5_000);
    expect(g.metric("reports.requests")).toBe(2);
    g.backend = () => ({ status: 200 });
    await g.advance(5_000);
    expect(g.metric("reports.requests")).toBe(4);
    expect(g.reports().filter((c) => reportParams(c).get("service_id") === "7")).toHaveLength(2);
  });
});
