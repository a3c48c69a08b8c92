// The allowance of a cached authorization: the cache allows, across workers, no more requests
// than the backend's 3scale-limit-remaining said remain (less the requests it has not been told
// of yet); then the key is refused locally until the usage reported meanwhile can be counted,
// and the backend is asked again. And a failed lease holder lets the other workers' waiters go.
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer } from "../../tools/host/types";
import { authrepParams, cachedConfig, gate, gateway, settle, user, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const INTERVAL = 5;
const allowed = (remaining: string): CallAnswer => ({ status: 200, headers: [["3scale-limit-remaining", remaining], ["3scale-limit-reset", "60"], ["3scale-limit-max-value", "100"]] });

describe("the allowance of a cached authorization", () => {
  it("allows from the cache exactly the remaining count, whichever worker serves the request", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: INTERVAL, authorization_ttl: 60 } }));
    g.backend = () => allowed("4");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await user(g, "k", { worker: i % 2 })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(g.authreps()).toHaveLength(1);
    // asked again once the reports could be counted (report interval + 2 s)
    await g.advance((INTERVAL + 2) * 1000);
    g.backend = () => ({ status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-remaining", "0"], ["3scale-limit-reset", "50"], ["3scale-limit-max-value", "5"]] });
    expect((await user(g, "k")).status).toBe(429);
    expect(g.authreps()).toHaveLength(2);
  });

  it("takes away what was allowed from the cache and not reported yet", async () => {
    g = await gateway(cachedConfig({ cache: { report_interval: 60, authorization_ttl: 1 } }));
    g.backend = () => allowed("10");
    for (let i = 0; i < 4; i++) expect((await user(g, "k")).status).toBe(200); // 1 authrep + 3 unreported
    await g.advance(1000); // the TTL ends; the backend has not heard of the 3
    g.backend = () => allowed("5");
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await user(g, "k")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]); // the authrep, then 5 - 3
    expect(g.authreps()).toHaveLength(2);
  });

  it("counts nothing down when the backend sets no limit (remaining -1)", async () => {
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 60 } }));
    g.backend = () => ({ status: 200, headers: [["3scale-limit-remaining", "-1"], ["3scale-limit-reset", "-1"]] });
    for (let i = 0; i < 50; i++) expect((await user(g, "k", { worker: i % 2 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(1);
  });

  it("lets the other worker's waiters ask the backend themselves when the lease holder gets no answer", async () => {
    g = await gateway(cachedConfig({ failure_policy: { mode: "closed" } }));
    const hold = gate();
    let calls = 0;
    g.backend = async () => (++calls === 1 ? (await hold.wait, "reset") : { status: 200 });
    const first = user(g, "k", { worker: 0 });
    await settle();
    const waiting = [user(g, "k", { worker: 1 }), user(g, "k", { worker: 1 })];
    await settle();
    expect(g.authreps()).toHaveLength(1);
    hold.open();
    expect((await first).status).toBe(502);
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200]);
    // the waiters of worker 1 made one authrep between them
    expect(g.authreps().map((c) => [c.instance, authrepParams(c).get("user_key")])).toEqual([["worker 0", "k"], ["worker 1", "k"]]);
  });
});
