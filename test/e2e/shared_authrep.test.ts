// With the authorization cache, concurrent first requests for one key make one authrep in the
// whole Envoy, not one per worker: the worker whose miss takes the lease asks the backend, the
// others wait for its answer in the shared entry. Real Envoy with two workers; the backend
// answers slowly, so every request arrives while the first authrep is in flight.
import { describe, expect, it } from "vitest";
import { moduleStats } from "../../tools/envoy/envoy";
import type { Seed } from "../../tools/simulator/seed";
import { config, service } from "../support/configs";
import { envoyBin, failures, send, startInto, stopAfterEach } from "./support";
import { sleep, until } from "../support/request-loop";

const SERVICE_ID = "2555417900001";
const TOKEN = "st-lease";
const HOST = "api.example.com";
const KEYS = ["k-1", "k-2", "k-3"];
const seed: Seed = {
  services: [{
    id: SERVICE_ID, providerKey: "pk", tokens: [TOKEN], metrics: [{ name: "hits" }],
    applications: KEYS.map((k) => ({ id: `app-${k}`, userKey: k })),
  }],
};
const hits = [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }];
const BACKEND_DELAY_MS = 400;

const stack = stopAfterEach();

describe.skipIf(!envoyBin)("one authrep per key across workers", () => {
  it("makes one authrep per key for concurrent first requests on two workers, and counts every request once", { timeout: 60_000 }, async () => {
    const c = config([service({ id: SERVICE_ID, token: TOKEN, authorities: [HOST], mapping_rules: hits })]);
    (c.backend as Record<string, unknown>).cache = { authorization_ttl: 60, report_interval: 1 };
    const { envoy, simulator } = await startInto(stack, {
      seed, configuration: JSON.stringify(c), name: "e2e.shared-authrep", quiet: true,
      prepare: (sim) => sim.inject({ scope: "backend", delayMs: BACKEND_DELAY_MS }),
    });
    const PER_KEY = 16;
    // each on a fresh connection: Envoy spreads them over its two workers
    const answers = await Promise.all(KEYS.flatMap((k) => Array.from({ length: PER_KEY }, () => send(envoy, `/?user_key=${k}`, { host: HOST }))));
    expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(200));

    const authreps = simulator.requests.filter((r) => r.pathname === "/transactions/authrep.xml");
    const perKey = KEYS.map((k) => authreps.filter((r) => r.params?.user_key === k).length);
    expect(perKey).toEqual([1, 1, 1]);
    const stats = await moduleStats(envoy);
    expect(stats["cache.coalesced"]).toBe(KEYS.length * (PER_KEY - 1));

    const recorded = () => KEYS.map((k) => simulator.usage(SERVICE_ID, `app-${k}`, "hits"));
    await until("the batched reports", () => recorded().every((n) => n === PER_KEY), 15_000).catch(() => undefined);
    expect(recorded()).toEqual(Array(KEYS.length).fill(PER_KEY));
    await sleep(2500);
    expect(recorded()).toEqual(Array(KEYS.length).fill(PER_KEY)); // no late duplicate
    expect(failures(envoy)).toEqual([]);
  });
});
