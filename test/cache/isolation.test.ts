// One bad transaction loses nobody else's usage: the backend answers a report 202 and then counts
// it all or nothing (the simulator does as Apisonator's worker does), so an application deleted
// in the middle of a report interval — still allowed from the cache, its pending usage now
// rejected — must not take the usage of the applications reported with it down. Each credential
// is reported in its own call; this also measures what that costs (calls per interval).
import { afterEach, describe, expect, it } from "vitest";
import type { HttpCallRecord } from "../../tools/host/types";
import type { Seed } from "../../tools/simulator/seed";
import { startSimulator, type Simulator } from "../../tools/simulator/server";
import { seed } from "../e2e/support";
import { app, APP_SERVICE, cachedConfig, gate, gateway, isReport, reportParams, settle, START_MS, user, USER_SERVICE, type Gateway } from "./support";

let g: Gateway | undefined;
let sim: Simulator | undefined;
afterEach(async () => {
  await g?.close();
  await sim?.close();
  g = sim = undefined;
});

const USER_KEYS = ["iso-a", "iso-b", "iso-c", "iso-victim", "iso-d"];
const APP_IDS = ["iso-app-1", "iso-app-2"];
const VICTIM = "iso-victim";

function isolationSeed(): Seed {
  const s: Seed = structuredClone(seed);
  s.services[0]!.applications!.push(...USER_KEYS.map((k) => ({ id: `app-${k}`, plan: "Basic", userKey: k })));
  s.services[1]!.applications!.push(...APP_IDS.map((id) => ({ id, keys: [`${id}-key`] })));
  return s;
}

/** requests that got a 200, per credential and metric */
class Allowed {
  counts = new Map<string, number>();
  add(credential: string, metric: string, n: number): void {
    this.counts.set(`${credential}|${metric}`, (this.counts.get(`${credential}|${metric}`) ?? 0) + n);
  }
  get(credential: string, metric: string): number {
    return this.counts.get(`${credential}|${metric}`) ?? 0;
  }
}

/** one second of load: every credential on both workers, user keys on two endpoints */
async function second(allowed: Allowed): Promise<void> {
  const sent: Promise<void>[] = [];
  for (const worker of [0, 1]) {
    for (const k of USER_KEYS) {
      sent.push(user(g!, k, { worker }).then((r) => { if (r.status === 200) allowed.add(k, "hits", 1); }));
      sent.push(user(g!, k, { worker, path: "/products/1" }).then((r) => {
        if (r.status === 200) { allowed.add(k, "hits", 2); allowed.add(k, "products", 1); } // products is a child of hits
      }));
    }
    for (const id of APP_IDS) sent.push(app(g!, id, `${id}-key`, { worker }).then((r) => { if (r.status === 200) allowed.add(id, "hits", 1); }));
  }
  await Promise.all(sent);
  await g!.advance(1000);
}

describe("report isolation", () => {
  it("counts every other application exactly when one is deleted in the middle of a report interval", async () => {
    sim = await startSimulator({ seed: isolationSeed(), now: START_MS });
    // the TTL outlives the interval: the deleted application stays allowed from the cache and its
    // usage reaches the report, as it does whenever a deletion falls after its last authrep
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 60, report_interval: 10 } }), { simulator: sim });
    const allowed = new Allowed();
    for (let s = 0; s < 15; s++) await second(allowed);
    expect(sim.state.deleteApplication(USER_SERVICE, `app-${VICTIM}`)).toBe(true);
    for (let s = 0; s < 15; s++) await second(allowed);
    await g.advance(25_000);

    // the deleted application was still allowed (from the cache) and its reports were rejected
    expect(allowed.get(VICTIM, "hits")).toBe(allowed.get("iso-a", "hits"));
    expect(sim.reportErrors.length).toBeGreaterThan(0);
    for (const e of sim.reportErrors) expect(e).toMatchObject({ serviceId: USER_SERVICE, code: "user_key_invalid", message: `user key "${VICTIM}" is invalid` });
    // everyone else: exactly what the clients saw allowed
    for (const k of USER_KEYS.filter((k) => k !== VICTIM)) {
      expect([k, sim.usage(USER_SERVICE, k, "hits"), sim.usage(USER_SERVICE, k, "products")]).toEqual([k, allowed.get(k, "hits"), allowed.get(k, "products")]);
      expect(allowed.get(k, "hits")).toBe(30 * 2 * 3);
    }
    for (const id of APP_IDS) expect([id, sim.usage(APP_SERVICE, id, "hits")]).toEqual([id, allowed.get(id, "hits")]);
    // every call carried one credential
    for (const call of g.reports()) expect([...reportParams(call).keys()].filter((n) => /\[(user_key|app_id)\]$/.test(n))).toEqual([expect.stringMatching(/^transactions\[0\]/)]);
  }, 60_000);

  it("costs one call per credential and interval when the workers report in turn, and keeps 32 calls in flight at most", async () => {
    const N = 200;
    const keys = Array.from({ length: N }, (_, i) => `cost-${i}`);
    g = await gateway(cachedConfig({ cache: { authorization_ttl: 60, report_interval: 10, max_entries: 10_000 } }));
    const answers = gate();
    g.backend = async (call) => {
      if (isReport(call)) await answers.wait;
      return { status: 200 };
    };
    const load = async () => {
      for (const worker of [0, 1]) await Promise.all(keys.map((k) => user(g!, k, { worker })));
    };
    await load(); // one authrep per key, then one request each from the cache
    // the reports wait for their answers: each worker keeps 32 waiting at most
    g.host.advance(10_000);
    await settle();
    const waiting = ["worker 0", "worker 1"].map((w) => g!.reports().filter((c) => c.instance === w).length);
    expect(Math.max(...waiting)).toBe(32);
    answers.open();
    await g.host.idle();
    // one call per credential: keys whose authorization slot another key took were authorized
    // again by an authrep (which reported them), so a few may have nothing to report
    const credentials = (calls: HttpCallRecord[]) => new Set(calls.map((c) => reportParams(c).get("transactions[0][user_key]")));
    let seen = 0;
    const interval = () => {
      const calls = g!.reports().slice(seen);
      seen += calls.length;
      return [calls.length, credentials(calls).size];
    };
    const [first, firstCredentials] = interval();
    expect(first).toBe(firstCredentials);
    expect(first).toBeGreaterThan(N * 0.95);
    // two more intervals, every key used twice on each worker: one call per credential and interval
    for (let i = 0; i < 2; i++) {
      await load();
      await load();
      await g.advance(10_000);
      expect(interval()).toEqual([N, N]);
    }
    expect(g.metric("reports.requests")).toBe(g.metric("requests.allowed") - g.authreps().length);
  }, 60_000);
});
