// A new configuration on running workers: authorizations start cold (another configuration may
// authorize differently), but the usage waiting to be reported is reported exactly once.
import { afterEach, describe, expect, it } from "vitest";
import { appService, cachedConfig, gate, gateway, isReport, reportParams, settle, user, userService, USER_SERVICE, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const reportedHits = (g: Gateway) =>
  g.reports().map(reportParams).reduce((n, p) => n + Number(p.get("transactions[0][usage][hits]") ?? 0), 0);

describe("re-configure", () => {
  it("starts the authorizations cold after a configuration with another backend or service token", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 60 } }));
    await user(g, "k");
    await g.configure(cachedConfig({ cache: { authorization_ttl: 60 }, services: [userService({ token: "another-token" })] }));
    await user(g, "k", { worker: 1 });
    expect(g.authreps()).toHaveLength(2);
  });

  it("does not cache an answer to an authrep sent before a re-configure that changed a service token", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 60 } }));
    const hold = gate();
    g.backend = async () => { await hold.wait; return { status: 200 }; };
    const sent = user(g, "k", { worker: 0 });
    await new Promise(setImmediate);
    await g.configure(cachedConfig({ cache: { authorization_ttl: 60 }, services: [userService({ token: "another-token" })] }));
    hold.open();
    expect((await sent).status).toBe(200);
    expect((await user(g, "k", { worker: 1 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(2);
    expect(new URLSearchParams(g.authreps()[1]!.headers.find(([n]) => n === ":path")![1].toString().split("?")[1]).get("service_token")).toBe("another-token");
    expect((await user(g, "k", { worker: 0 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(2); // the new token's answer is cached
  });

  it("keeps the authorizations across a configuration that changes neither backend nor tokens", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 60 } }));
    await user(g, "k");
    await g.configure(cachedConfig({ cache: { authorization_ttl: 61 } }));
    await user(g, "k", { worker: 1 });
    expect(g.authreps()).toHaveLength(1);
  });

  it("keeps the authorizations when the same configuration comes again", async () => {
    const configuration = cachedConfig({ cache: { authorization_ttl: 60 } });
    g = await gateway(configuration);
    await user(g, "k");
    await g.configure(configuration);
    await user(g, "k", { worker: 1 });
    expect(g.authreps()).toHaveLength(1);
  });

  it("keeps the cache working when a configuration is rejected", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    for (let i = 0; i < 3; i++) await user(g, "k");
    expect((await g.host.configure(JSON.stringify(cachedConfig({ cache: { max_entries: 1 } })))).accepted).toBe(false);
    await user(g, "k");
    await g.advance(5_000);
    expect(g.authreps()).toHaveLength(1);
    expect(reportedHits(g)).toBe(3);
  });

  it("reports the usage recorded before a re-configure once, with the new report interval", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    for (let i = 0; i < 4; i++) await user(g, "k", { worker: i % 2 });
    await g.advance(3_000);
    await g.configure(cachedConfig({ cache: { report_interval: 20 } }));
    await g.advance(19_000);
    expect(g.reports()).toHaveLength(0);
    await g.advance(1_000);
    expect(reportedHits(g)).toBe(3);
    await g.advance(40_000);
    expect(reportedHits(g)).toBe(3);
  });

  it("reports usage left in slots beyond a smaller max_entries", async () => {
    const rules = Array.from({ length: 40 }, (_, i) => ({ method: "GET", pattern: `/p${i + 1}/`, usages: [{ name: "hits", delta: 1 }, { name: `m${i}`, delta: 1 }] }));
    const services = [userService({ mapping_rules: rules })];
    g = await gateway(cachedConfig({ cache: { max_entries: 5000, report_interval: 5 }, services }));
    for (let j = 1; j <= 40; j++) for (let i = 0; i < 3; i++) await user(g, "k", { path: `/p${j}/` });
    await g.configure(cachedConfig({ cache: { max_entries: 16, report_interval: 5 }, services }));
    await g.advance(5_000);
    expect(reportedHits(g)).toBe(40 * 2);
    expect(g.metric("reports.dropped_requests")).toBe(0);
  });

  it("answers requests waiting on an authrep that was in flight during the re-configure, recording each once", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    const hold = gate();
    g.backend = async () => { await hold.wait; return { status: 200 }; };
    const waiting = [0, 0, 0].map((worker) => user(g!, "k", { worker }));
    await new Promise(setImmediate);
    await g.configure(cachedConfig({ cache: { report_interval: 5, authorization_ttl: 11 } }));
    hold.open();
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200, 200]);
    g.backend = () => ({ status: 200 });
    await g.advance(5_000);
    expect(reportedHits(g)).toBe(2);
  });

  it("drops, logs and counts the usage of a service the new configuration no longer has", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    for (let i = 0; i < 3; i++) await user(g, "k");
    await g.configure(cachedConfig({ cache: { report_interval: 5 }, services: [appService()] }));
    await g.advance(5_000);
    expect(g.reports()).toHaveLength(0);
    expect(g.metric("reports.dropped_requests")).toBe(2);
    expect(g.host.logs.some((l) => l.message.includes("its service is not configured"))).toBe(true);
  });

  it("reports the pending usage when a re-configure turns the cache off", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }), { simulator: true });
    for (let i = 0; i < 4; i++) await user(g, "uk-1", { worker: i % 2 });
    await g.configure(cachedConfig({ cache: null }));
    await g.advance(30_000);
    // 1 by the authrep, 3 recorded from the cache: lost unless something still reports them
    expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(4);
  });

  it("keeps retrying a retiring reporter's failed report across cache off, on and off again", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }), { simulator: true });
    for (let i = 0; i < 4; i++) await user(g, "uk-1", { worker: 0 });
    const hold = gate();
    g.backend = async (call) => { if (isReport(call)) { await hold.wait; return { status: 503 }; } return g!.forward(call); };
    g.host.advance(5_000); // worker 0 sends its report (3 requests) and waits
    await settle();
    expect(g.reports()).toHaveLength(1);
    await g.configure(cachedConfig({ cache: null }));
    await g.configure(cachedConfig({ cache: { report_interval: 5 } }));
    await g.configure(cachedConfig({ cache: null }));
    hold.open();
    await g.host.idle();
    expect(g.metric("reports.failures")).toBe(1);
    g.backend = g.forward;
    await g.advance(30_000);
    expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(4);
    expect(g.metric("reports.dropped_requests")).toBe(0);
  });

  it("reports the usage a previous cached configuration left when the cache is turned back on", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }), { simulator: true });
    for (let i = 0; i < 4; i++) await user(g, "uk-1", { worker: i % 2 });
    await g.configure(cachedConfig({ cache: null }));
    await user(g, "uk-1");
    await g.configure(cachedConfig({ cache: { report_interval: 5 } }));
    await g.advance(5_000);
    expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(5);
  });
});
