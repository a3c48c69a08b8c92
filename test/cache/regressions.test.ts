// Caching and batching together (APIcast batcher regressions): a report in flight, delivered
// or failed never changes what the cache answers; a report's answer is never taken for an
// authorization; usage recorded while its key's report is in flight is neither lost nor
// counted twice; a denial is never reported as usage.
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer } from "../../tools/host/types";
import { cachedConfig, gate, gateway, isReport, reportParams, user, USER_SERVICE, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const hitsIn = (g: Gateway) => g.reports().map((c) => Number(reportParams(c).get("transactions[0][usage][hits]") ?? 0));

describe("caching while reporting", () => {
  it("keeps using a cached authorization while a report is in flight and after it landed", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5, authorization_ttl: 30 } }));
    for (let i = 0; i < 3; i++) await user(g, "k", { worker: i % 2 });
    const hold = gate();
    g.backend = async (call) => { if (isReport(call)) await hold.wait; return { status: 200 }; };
    g.host.advance(5_000);
    expect(g.reports().length).toBeGreaterThan(0);
    for (const worker of [0, 1, 0, 1]) {
      const r = await user(g, "k", { worker });
      expect([r.status, r.httpCalls.filter((c) => !isReport(c)).length]).toEqual([200, 0]);
    }
    hold.open();
    await g.host.idle();
    for (const worker of [0, 1]) expect((await user(g, "k", { worker })).status).toBe(200);
    expect(g.authreps()).toHaveLength(1);
    await g.advance(5_000);
    expect(hitsIn(g).reduce((a, b) => a + b, 0)).toBe(2 + 4 + 2);
  });

  const reportAnswers: [string, CallAnswer][] = [
    ["fails (503)", { status: 503 }],
    ["is rejected (403 with a rejection reason)", { status: 403, headers: [["3scale-rejection-reason", "user_key_invalid"]] }],
    ["answers limits_exceeded", { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-max-value", "1"], ["3scale-limit-remaining", "0"], ["3scale-limit-reset", "50"]] }],
    ["gets no answer", "reset"],
  ];
  for (const [name, answer] of reportAnswers) {
    it(`does not let a report that ${name} invalidate or poison the cache`, async () => {
      g = await gateway(cachedConfig({ cache: { report_interval: 5, authorization_ttl: 60 } }));
      for (let i = 0; i < 3; i++) await user(g, "k", { worker: i % 2 });
      g.backend = (call) => (isReport(call) ? answer : { status: 200 });
      await g.advance(5_000);
      expect(g.reports()).toHaveLength(1);
      for (const worker of [0, 1]) expect((await user(g, "k", { worker })).status).toBe(200);
      expect(g.authreps()).toHaveLength(1);
      expect(g.metric("requests.denied.limits_exceeded") + g.metric("requests.denied.auth_failed")).toBe(0);
    });
  }

  it("neither loses nor double counts usage recorded while its key's report is in flight and fails", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5, authorization_ttl: 60 } }));
    for (let i = 0; i < 5; i++) await user(g, "k", { worker: 0 }); // 4 recorded
    const hold = gate();
    g.backend = async (call) => { if (isReport(call)) { await hold.wait; return { status: 503 }; } return { status: 200 }; };
    g.host.advance(5_000);
    for (let i = 0; i < 3; i++) await user(g, "k", { worker: i % 2 }); // 3 more, same slot
    hold.open();
    await g.host.idle();
    g.backend = () => ({ status: 200 });
    await g.advance(10_000);
    expect(hitsIn(g)).toEqual([4, 7]);
    expect(g.metric("reports.requests")).toBe(7);
  });

  it("neither loses nor double counts usage recorded while its key's report is in flight and succeeds", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5, authorization_ttl: 60 } }));
    for (let i = 0; i < 5; i++) await user(g, "k", { worker: 0 });
    const hold = gate();
    g.backend = async (call) => { if (isReport(call)) await hold.wait; return { status: 200 }; };
    g.host.advance(5_000);
    for (let i = 0; i < 3; i++) await user(g, "k", { worker: i % 2 });
    hold.open();
    await g.host.idle();
    await g.advance(10_000);
    expect(hitsIn(g)).toEqual([4, 3]);
  });

  it("does not report denied requests, from the backend or from the cache", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    g.backend = (call) => (isReport(call) ? { status: 200 } : { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] });
    for (let i = 0; i < 4; i++) expect((await user(g, "k", { worker: i % 2 })).status).toBe(429);
    g.backend = (call) => (isReport(call) ? { status: 200 } : { status: 403 });
    for (let i = 0; i < 4; i++) expect((await user(g, "other", { worker: i % 2 })).status).toBe(403);
    await g.advance(20_000);
    expect(g.reports()).toHaveLength(0);
  });

  it("does not report the request whose authrep already reported it (no double count of the first request)", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }), { simulator: true });
    await user(g, "uk-1");
    await g.advance(10_000);
    expect(g.reports()).toHaveLength(0);
    expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(1);
  });

  it("keeps a denial of one key from affecting another key of the same credential", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    g.backend = (call) => ((call.headers.find(([n]) => n === ":path")?.[1] ?? "").toString().includes("products") ? { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] } : { status: 200 });
    expect((await user(g, "k")).status).toBe(200);
    expect((await user(g, "k", { path: "/products/1" })).status).toBe(429);
    expect((await user(g, "k")).status).toBe(200);
    expect((await user(g, "k", { path: "/products/2", worker: 1 })).status).toBe(429);
    expect(g.authreps()).toHaveLength(2);
  });
});
