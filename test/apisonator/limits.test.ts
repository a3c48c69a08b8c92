// Limits honoured with the authorization cache on, against Apisonator, in a real Envoy with two
// workers under many concurrent clients. The cache allows no more requests than the backend's
// `3scale-limit-remaining` said remain, counted down across workers; when that is used up the
// key is refused locally until the usage reported meanwhile can be counted (report interval +
// 2 s), then the backend is asked again.
//
// Bound: allowed ≤ N + SLACK. The first authrep of the key is the only one in flight (the lease)
// and Apisonator then knows of every earlier use, so its remaining count is exact: the cache
// allows exactly N. Every later ask comes after the recheck delay; it lets one more request
// through only when Apisonator's worker has not yet counted the reported usage by then (it counts
// about a second after the report), and its remaining count then lacks at most what was reported
// in that last second — none here: the allowance was used up long before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleStats, type RunningEnvoy, startEnvoy } from "../../tools/envoy/envoy";
import { provisionSeed } from "../../tools/apisonator/provision";
import type { Seed } from "../../tools/simulator/seed";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { envoyBin, send, wasmFile } from "../e2e/support";
import { apisonatorSource, settled, useApisonator } from "./support";

const SERVICE = "7301";
const N = 20;
const SLACK = 1;
const BIG = 1_000_000_000;
const CLIENTS = 16;
const LOAD_MS = 6000;
const seed: Seed = {
  services: [{
    id: SERVICE, providerKey: "pk-limits", mode: "1", tokens: ["tok-limits"],
    plans: [
      { name: "Limited", limits: [{ metric: "hits", period: "minute", max: N }, { metric: "hits", period: "eternity", max: BIG }] },
      { name: "Roomy", limits: [{ metric: "hits", period: "minute", max: BIG }, { metric: "hits", period: "eternity", max: BIG }] },
    ],
    applications: [{ id: "limited", plan: "Limited", userKey: "lim-1" }, { id: "roomy", plan: "Roomy", userKey: "roomy-1" }],
  }],
};
const hits = [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `CLIENTS` clients, one request at a time each on a fresh connection, for `LOAD_MS`: the statuses */
async function hammer(envoy: RunningEnvoy, userKey: string): Promise<number[]> {
  const statuses: number[] = [];
  const end = Date.now() + LOAD_MS;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < end) statuses.push((await send(envoy, `/?user_key=${userKey}`, { host: "limits.test" })).status);
  }));
  return statuses;
}

/** so that the load stays inside one of Apisonator's minutes (UTC) */
async function startOfAMinute(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 60_000 - LOAD_MS - 10_000) await sleep(60_000 - into + 500);
}

describe.skipIf(!envoyBin || !apisonatorSource)("limits honoured with the cache, against Apisonator", () => {
  const b = useApisonator();
  let upstream: Upstream;
  let envoy: RunningEnvoy;

  beforeAll(async () => {
    await provisionSeed(b.internal, seed);
    upstream = await startUpstream();
    envoy = await startEnvoy({
      bin: envoyBin!,
      componentLogLevel: "wasm:info",
      bootstrap: {
        appPort: upstream.port, clusters: { [BACKEND_CLUSTER]: b.apisonator.port },
        wasm: {
          wasmFile, name: "apisonator.limits",
          configuration: JSON.stringify({
            ...config([service({ id: SERVICE, token: "tok-limits", authorities: ["limits.test"], mapping_rules: hits })]),
            backend: { name: "backend", upstream: { name: BACKEND_CLUSTER, url: "http://localhost/", timeout: 5000 }, cache: { authorization_ttl: 60, report_interval: 1 } },
          }),
        },
      },
    });
  }, 200_000);
  afterAll(async () => { await envoy?.stop(); await upstream?.stop(); });

  it(`allows at most ${N} + ${SLACK} requests of a ${N}-a-minute plan to ${CLIENTS} clients on two workers, and records exactly those`, { timeout: 120_000 }, async () => {
    await startOfAMinute();
    const before = (await moduleStats(envoy))["backend.calls"] ?? 0;
    const statuses = await hammer(envoy, "lim-1");
    const allowed = statuses.filter((s) => s === 200).length;
    const authreps = ((await moduleStats(envoy))["backend.calls"] ?? 0) - before;
    console.log(`limit ${N}/minute: ${statuses.length} requests, ${allowed} allowed, ${authreps} authreps`);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(allowed).toBeGreaterThanOrEqual(N);
    expect(allowed).toBeLessThanOrEqual(N + SLACK);
    const recorded = await settled(() => b.internal.usage(SERVICE, { userKey: "lim-1" }, "hits"), { done: (n) => n === allowed, quietMs: 4000 });
    expect(recorded).toBe(allowed);
  });

  it("costs no extra authrep at a limit that is never reached", { timeout: 120_000 }, async () => {
    await startOfAMinute();
    const before = (await moduleStats(envoy))["backend.calls"] ?? 0;
    const statuses = await hammer(envoy, "roomy-1");
    const authreps = ((await moduleStats(envoy))["backend.calls"] ?? 0) - before;
    console.log(`limit never reached: ${statuses.length} requests, ${authreps} authreps`);
    // on a failure, Envoy's response details say who answered (the module, the upstream, Envoy)
    const unexpected = () => JSON.stringify(envoy.accessLog().filter((e) => e.code !== 200).slice(0, 10));
    expect(statuses.filter((s) => s !== 200), unexpected()).toEqual([]);
    expect(authreps).toBe(1); // one for the key, whatever the worker; none when the allowance runs
    const recorded = await settled(() => b.internal.usage(SERVICE, { userKey: "roomy-1" }, "hits"), { done: (n) => n === statuses.length, quietMs: 4000 });
    expect(recorded).toBe(statuses.length);
  });
});
