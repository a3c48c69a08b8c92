// No usage lost to one bad transaction, against the real backend: Apisonator answers a report
// 202 and its worker then counts the call all or nothing. Several applications under load
// through the module (two workers of the in-process host, the cache on, Apisonator as the backend
// cluster); one application is deleted in the middle of a report interval while the cache still
// allows it, so its pending usage is rejected — and every other application's usage read back
// from Apisonator is exactly what its clients saw allowed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionSeed } from "../../tools/apisonator/provision";
import { ProxyWasmHost } from "../../tools/host";
import type { Seed } from "../../tools/simulator/seed";
import { BACKEND_CLUSTER, service } from "../support/configs";
import { header, requestHeaders, WASM } from "../support/module";
import { apisonatorSource, settled, useApisonator } from "./support";

const SERVICE = "7301";
const KEPT = ["iso-a", "iso-b", "iso-c", "iso-d"];
const VICTIM = "iso-victim";
const seed: Seed = {
  services: [{
    id: SERVICE, providerKey: "pk-iso", mode: "1", tokens: ["tok-iso"],
    plans: [{ name: "Basic", limits: [{ metric: "hits", period: "eternity", max: 1_000_000_000 }] }],
    applications: [...KEPT, VICTIM].map((k) => ({ id: `app-${k}`, userKey: k })),
  }],
};
const configuration = {
  api: "v1",
  backend: {
    // Apisonator in development mode only answers Host values it permits, such as localhost
    name: "backend", upstream: { name: BACKEND_CLUSTER, url: "http://localhost/", timeout: 5000 },
    // the TTL outlives the test: the deleted application stays allowed from the cache and its
    // usage reaches the reports, as it does whenever a deletion falls after its last authrep
    cache: { authorization_ttl: 120, report_interval: 10 },
  },
  services: [service({ id: SERVICE, token: "tok-iso", authorities: ["iso.test"], mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }] })],
};
/** the host's clock moves with real time, a step at a time, so reports leave every report_interval */
const STEP_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!apisonatorSource)("report isolation against Apisonator", () => {
  const b = useApisonator();
  let host: ProxyWasmHost;

  beforeAll(async () => {
    await provisionSeed(b.internal, seed);
    host = await ProxyWasmHost.create({ wasm: WASM, concurrency: 2, clusters: { [BACKEND_CLUSTER]: b.apisonator.url }, hangTimeoutMs: 10_000 });
    const r = await host.configure(JSON.stringify(configuration));
    if (!r.accepted) throw new Error(`configuration rejected: ${r.error}`);
  }, 300_000);
  afterAll(async () => { await host?.close(); });

  it("counts every other application exactly when one is deleted in the middle of a report interval", async () => {
    const allowed = new Map<string, number>([...KEPT, VICTIM].map((k) => [k, 0]));
    let victimAfterDeletion = 0;
    let deleted = false;
    /** `ms` of load on both workers (the keys given), the clock moving with real time */
    const load = async (ms: number, keys: string[]) => {
      for (let t = 0; t < ms; t += STEP_MS) {
        const sent = [0, 1].flatMap((worker) => keys.map(async (k) => {
          const r = await host.request({ headers: requestHeaders(`/?user_key=${k}`, [], "GET", "iso.test"), worker });
          if (r.status !== 200) return;
          allowed.set(k, allowed.get(k)! + 1);
          if (k === VICTIM && deleted) victimAfterDeletion++;
        }));
        await Promise.all(sent);
        await sleep(STEP_MS);
        host.advance(STEP_MS);
      }
    };
    await load(12_000, KEPT);
    await load(3_000, [...KEPT, VICTIM]); // the victim's authrep, then its requests from the cache
    // deleted as 3scale's admin portal deletes an application: the application and its user key
    await b.internal.deleteApplication(SERVICE, `app-${VICTIM}`);
    await b.internal.deleteUserKey(SERVICE, VICTIM);
    deleted = true;
    await load(10_000, [...KEPT, VICTIM]);
    await load(12_000, []); // the last reports
    await host.idle();

    expect(victimAfterDeletion).toBeGreaterThan(0);
    const read = () => Promise.all(KEPT.map((k) => b.internal.usage(SERVICE, { userKey: k }, "hits")));
    const expected = KEPT.map((k) => allowed.get(k)!);
    const counted = await settled(read, { done: (n) => n.every((v, i) => v === expected[i]), quietMs: 5000 });
    expect(Object.fromEntries(KEPT.map((k, i) => [k, counted[i]]))).toEqual(Object.fromEntries(KEPT.map((k, i) => [k, expected[i]])));
    expect(await settled(read)).toEqual(expected); // and nothing more arrives after

    // the victim's usage was rejected — in calls of its own
    const errors = await settled(() => b.internal.errors(SERVICE), { done: (e) => e.length > 0 });
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject({ code: "user_key_invalid", message: expect.stringContaining(VICTIM) });
    const reports = host.calls.filter((c) => header(c, ":method") === "POST" && (header(c, ":path") ?? "").includes("/transactions.xml"));
    for (const call of reports) {
      const credentials = [...new URLSearchParams(String(call.body)).keys()].filter((n) => n.endsWith("[user_key]"));
      expect(credentials).toEqual(["transactions[0][user_key]"]);
    }
  }, 180_000);
});
