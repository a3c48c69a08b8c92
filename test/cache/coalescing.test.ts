// Concurrent misses with the same transaction key wait on one authrep — on one worker by joining
// it, across workers through the lease in the shared entry; the waiters' own use is recorded only
// when the answer allows them.
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer } from "../../tools/host/types";
import { cachedConfig, gate, gateway, reportParams, settle, user, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

/** `n` requests with key `k` on `worker`, all started before the backend answers */
async function burst(g: Gateway, answer: CallAnswer, n: number, worker = 0) {
  const hold = gate();
  g.backend = async () => { await hold.wait; return answer; };
  const results = Array.from({ length: n }, () => user(g, "k", { worker }));
  await settle();
  const calls = g.authreps().length;
  hold.open();
  return { calls, results: await Promise.all(results) };
}

/** the hits the reports carried */
function reportedHits(g: Gateway): number {
  return g.reports().map(reportParams).reduce((n, p) => n + Number(p.get("transactions[0][usage][hits]") ?? 0), 0);
}

describe("coalesced authorizations", () => {
  it("makes one authrep for concurrent requests of one key on one worker; the others are recorded", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    const { calls, results } = await burst(g, { status: 200 }, 6);
    expect(calls).toBe(1);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(g.authreps()).toHaveLength(1);
    expect([g.metric("cache.misses"), g.metric("cache.coalesced")]).toEqual([6, 5]);
    await g.advance(5_000);
    expect(reportedHits(g)).toBe(5); // the authrep reported the first itself
  });

  it("refuses the waiters locally when the answer used up the limit (remaining 0), and asks again later", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    const { calls, results } = await burst(g, { status: 200, headers: [["3scale-limit-remaining", "0"], ["3scale-limit-reset", "30"], ["3scale-limit-max-value", "5"]] }, 3);
    expect(calls).toBe(1);
    // the backend allowed the first and said no call remains: the others are refused, not sent
    expect(results.map((r) => r.status)).toEqual([200, 429, 429]);
    expect(g.authreps()).toHaveLength(1);
    await g.advance(5_000);
    expect(reportedHits(g)).toBe(0);
    // once the usage reported meanwhile can be counted (report interval + 2 s), the backend is asked again
    await g.advance(2_000);
    g.backend = () => ({ status: 200 });
    expect((await user(g, "k")).status).toBe(200);
    expect(g.authreps()).toHaveLength(2);
  });

  it("coalesces across workers: the other worker waits for the first one's authrep", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    const hold = gate();
    g.backend = async () => { await hold.wait; return { status: 200 }; };
    const results = [0, 1, 0, 1, 0, 1].map((worker) => user(g!, "k", { worker }));
    await settle();
    expect(g.authreps().map((c) => c.instance)).toEqual(["worker 0"]);
    hold.open();
    expect((await Promise.all(results)).every((r) => r.status === 200)).toBe(true);
    expect([g.metric("cache.misses"), g.metric("cache.coalesced")]).toEqual([6, 5]);
    await g.advance(5_000);
    expect(reportedHits(g)).toBe(5);
  });

  it("gives every waiter the backend's denial and records none of them", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    const { results } = await burst(g, { status: 403, headers: [["3scale-rejection-reason", "user_key_invalid"]] }, 4);
    expect(results.map((r) => [r.status, r.details])).toEqual(Array(4).fill([403, "authrep_denied_403"]));
    await g.advance(10_000);
    expect(g.reports()).toHaveLength(0);
  });

  it("gives every waiter a limits denial as 429", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 } }));
    const { results } = await burst(g, { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-max-value", "3"], ["3scale-limit-remaining", "0"], ["3scale-limit-reset", "30"]] }, 3);
    expect(results.map((r) => r.status)).toEqual([429, 429, 429]);
    await g.advance(10_000);
    expect(g.reports()).toHaveLength(0);
  });

  it("applies the failure policy to every waiter; fail-open records all of them, the first included", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 }, failure_policy: { mode: "open" } }));
    const { results } = await burst(g, "reset", 4);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(g.metric("failure_policy.opened")).toBe(4);
    g.backend = () => ({ status: 200 });
    await g.advance(5_000);
    expect(reportedHits(g)).toBe(4);
  });

  it("records the waiters of an authrep that timed out, not the request the backend got", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 5 }, failure_policy: { mode: "open" } }));
    const { results } = await burst(g, "timeout", 4);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    g.backend = () => ({ status: 200 });
    await g.advance(5_000);
    expect(reportedHits(g)).toBe(3);
  });

  it("fails every waiter closed with the reference's reply", async () => {
    g = await gateway(cachedConfig());
    const { results } = await burst(g, "reset", 3);
    expect(results.map((r) => [r.status, r.details])).toEqual(Array(3).fill([502, "authrep_backend_unavailable"]));
  });

  it("starts a new authrep for a request arriving after the answer", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 1 } }));
    await burst(g, { status: 200 }, 3);
    await g.advance(1_000);
    await burst(g, { status: 200 }, 3);
    expect(g.authreps()).toHaveLength(2);
  });
});
