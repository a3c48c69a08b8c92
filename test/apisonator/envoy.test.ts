// The filter in a real Envoy (--concurrency 2) against Apisonator: what clients see, and usage
// read back from Apisonator equal to the requests they saw allowed — per request (no cache) and
// with the authorization cache and batched reports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEnvoy, startEnvoy } from "../../tools/envoy/envoy";
import { provisionSeed } from "../../tools/apisonator/provision";
import type { Seed } from "../../tools/simulator/seed";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { envoyBin, send, wasmFile } from "../e2e/support";
import { apisonatorSource, settled, useApisonator } from "./support";

const BIG = 1_000_000_000;
const UK = "7101";
const APP = "7102";
const CACHED = "7103";
const seed: Seed = {
  services: [
    {
      id: UK, providerKey: "pk-e2e", mode: "1", tokens: ["tok-uk"],
      plans: [
        { name: "Basic", limits: [{ metric: "hits", period: "eternity", max: BIG }] },
        { name: "Trial", limits: [{ metric: "hits", period: "hour", max: 3 }, { metric: "hits", period: "eternity", max: BIG }] },
      ],
      applications: [{ id: "uk-basic", userKey: "uk-1" }, { id: "uk-trial", plan: "Trial", userKey: "uk-trial" }],
    },
    {
      id: APP, providerKey: "pk-e2e", mode: "2", tokens: ["tok-app"],
      plans: [{ name: "Basic", limits: [{ metric: "hits", period: "eternity", max: BIG }] }],
      applications: [{ id: "app-1", keys: ["key-1"] }],
    },
    {
      id: CACHED, providerKey: "pk-e2e", mode: "1", tokens: ["tok-cached"],
      plans: [{ name: "Basic", limits: [{ metric: "hits", period: "eternity", max: BIG }] }],
      applications: [{ id: "c-1", userKey: "c-1" }, { id: "c-2", userKey: "c-2" }],
    },
  ],
};

const hits = [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }];
/** Apisonator (in development mode) only answers Host values it permits, such as localhost. */
const backend = (extra: object = {}) => ({ name: "backend", upstream: { name: BACKEND_CLUSTER, url: "http://localhost/", timeout: 5000 }, ...extra });

async function startWith(port: number, upstream: Upstream, plugin: object, name: string): Promise<RunningEnvoy> {
  return startEnvoy({
    bin: envoyBin!,
    bootstrap: { appPort: upstream.port, clusters: { [BACKEND_CLUSTER]: port }, wasm: { wasmFile, configuration: JSON.stringify(plugin), name } },
  });
}

describe.skipIf(!envoyBin || !apisonatorSource)("authrep-wasm in real Envoy against Apisonator", () => {
  const b = useApisonator();
  let upstream: Upstream;
  let envoy: RunningEnvoy;
  const usage = (service: string, ref: { userKey: string } | { appId: string }) => b.internal.usage(service, ref, "hits");

  beforeAll(async () => {
    await provisionSeed(b.internal, seed);
    upstream = await startUpstream();
    envoy = await startWith(b.apisonator.port, upstream, {
      ...config([
        { ...service({ id: UK, token: "tok-uk", authorities: ["uk.test"], mapping_rules: hits }), rate_limit_headers: true },
        service({ id: APP, token: "tok-app", authorities: ["app.test"], mapping_rules: hits }),
      ]),
      backend: backend(),
    }, "apisonator.authrep");
  }, 200_000);
  afterAll(async () => { await envoy?.stop(); await upstream?.stop(); });

  it("allows a user_key and an app_id with its app_key, refuses wrong and missing credentials", async () => {
    const statuses: (number | string)[] = [];
    for (const [host, path, headers] of [
      ["uk.test", "/?user_key=uk-1", {}], ["uk.test", "/", { user_key: "uk-1" }], ["app.test", "/", { "x-app-id": "app-1", "x-app-key": "key-1" }],
      ["uk.test", "/?user_key=nope", {}], ["uk.test", "/", {}], ["app.test", "/", { "x-app-id": "app-1", "x-app-key": "nope" }],
      ["app.test", "/", { "x-app-id": "nope", "x-app-key": "key-1" }],
    ] as const) {
      const r = await send(envoy, path, { host, ...headers });
      statuses.push(r.status === 200 ? 200 : `${r.status} ${r.body.trim()}`);
    }
    const failed = "403 Authentication failed";
    expect(statuses).toEqual([200, 200, 200, failed, "403 Authentication parameters missing", failed, failed]);
    const counted = await settled(() => Promise.all([usage(UK, { userKey: "uk-1" }), usage(APP, { appId: "app-1" })]));
    expect(counted).toEqual([2, 1]);
  });

  it("answers 429 with the rate-limit headers once the plan's limit is used", async () => {
    const seen: unknown[][] = [];
    for (let i = 0; i < 4; i++) {
      const { status, headers: h } = await send(envoy, "/", { host: "uk.test", user_key: "uk-trial" });
      seen.push([status, h["x-ratelimit-limit"], h["x-ratelimit-remaining"], h["retry-after"] !== undefined]);
      // the worker counts about a second later: the next call must see this one
      await settled(() => usage(UK, { userKey: "uk-trial" }), { done: (n) => n === Math.min(i + 1, 3) });
    }
    expect(seen).toEqual([[200, "3", "2", false], [200, "3", "1", false], [200, "3", "0", false], [429, "3", "0", true]]);
    expect(await settled(() => usage(UK, { userKey: "uk-trial" }))).toBe(3);
  });

  it("with the cache and batched reports, records exactly the requests allowed", async () => {
    const cachedEnvoy = await startWith(b.apisonator.port, upstream, {
      ...config([service({ id: CACHED, token: "tok-cached", authorities: ["cached.test"], mapping_rules: hits })]),
      backend: backend({ cache: { authorization_ttl: 30, report_interval: 1 } }),
    }, "apisonator.cached");
    try {
      const allowed = new Map([["c-1", 0], ["c-2", 0]]);
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => {
        const key = i % 3 === 0 ? "c-2" : "c-1";
        return send(cachedEnvoy, `/?user_key=${key}`, { host: "cached.test" }).then((r) => ({ key, status: r.status }));
      }));
      for (const { key, status } of answers) if (status === 200) allowed.set(key, allowed.get(key)! + 1);
      expect([...allowed.values()]).toEqual([40, 20]);
      const read = () => Promise.all([usage(CACHED, { userKey: "c-1" }), usage(CACHED, { userKey: "c-2" })]);
      await settled(read, { done: ([one, two]) => one === 40 && two === 20, quietMs: 6000 });
      expect(await settled(read)).toEqual([40, 20]); // and nothing more arrives after
    } finally {
      await cachedEnvoy.stop();
    }
  });
});
