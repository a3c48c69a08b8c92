// examples/production: the api-key credentials with the production settings — the authorization
// cache (10 s) with batched reports (every 10 s), stale authorizations served for 300 s while the
// backend is down (fail closed otherwise) and X-RateLimit-* headers. The simulator shows what
// reached the backend: one authrep for many requests, their usage in POST /transactions.xml.
// The tests of a variant run in order on one Envoy (they share the cache and the clock).
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleStats, startEnvoy, type RunningEnvoy } from "../../../tools/envoy/envoy";
import { startSimulator, type LoggedRequest, type Simulator } from "../../../tools/simulator/server";
import { startUpstream, type Upstream } from "../../../tools/upstream/upstream";
import { envoyBin, failures, send } from "../support";
import { sleep, until } from "../../support/request-loop";
import { examplesDir } from "../../support/examples";
import { DENIED, passed, schemeBootstrap, variantsOf } from "./support";

const SERVICE_ID = "2555417800005";
const APP = "production-app";
const KEY = "key-production"; // examples/simulator-seed.json: plan limit 1000 hits a minute
const TTL_MS = 10_000; // the example's authorization_ttl
const REQUESTS = 20;

const isAuthrep = (r: LoggedRequest) => r.pathname === "/transactions/authrep.xml";
const isReport = (r: LoggedRequest) => r.method === "POST" && r.pathname === "/transactions.xml";

/** the hits each report carried for KEY */
function reportedHits(r: LoggedRequest): number {
  const transactions = Object.values((r.params?.transactions ?? {}) as Record<string, { user_key?: string; usage?: { hits?: string } }>);
  return transactions.filter((t) => t.user_key === KEY).reduce((n, t) => n + Number(t.usage?.hits ?? 0), 0);
}

const RATE_LIMIT_HEADERS = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"];
const rateLimitHeaders = (headers: Record<string, unknown>) => Object.fromEntries(RATE_LIMIT_HEADERS.filter((h) => h in headers).map((h) => [h, headers[h]]));

describe.skipIf(!envoyBin).each(variantsOf("production"))("examples/production (%s)", (variant) => {
  let simulator: Simulator;
  let upstream: Upstream;
  let envoy: RunningEnvoy;
  /** when the key's only authrep was answered */
  let authorizedAt = 0;
  let allowed = 0;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: resolve(examplesDir, "simulator-seed.json") });
    upstream = await startUpstream();
    envoy = await startEnvoy({ bin: envoyBin, bootstrap: schemeBootstrap("production", variant, { app: upstream.port, backend: simulator.port }) });
  });
  afterAll(async () => {
    await envoy?.stop();
    await upstream?.stop();
    await simulator?.close();
  });

  const call = async (path: string, headers: Record<string, string> = {}) => {
    const r = await send(envoy, path, { host: "api.example.com", ...headers });
    if (r.status === 200) allowed += 1;
    return r;
  };
  const stat = async (name: string) => (await moduleStats(envoy))[name] ?? 0;

  it(`lets ${REQUESTS} requests of a key through with one authrep; only that one gets X-RateLimit-* headers`, async () => {
    const first = await call("/", { "x-api-key": KEY });
    authorizedAt = Date.now();
    expect(first).toMatchObject(passed("/"));
    expect(simulator.requests.filter(isAuthrep).map((r) => r.params?.user_key)).toEqual([KEY]);
    expect(rateLimitHeaders(first.headers)).toEqual({ "x-ratelimit-limit": "1000", "x-ratelimit-remaining": expect.stringMatching(/^\d+$/), "x-ratelimit-reset": expect.stringMatching(/^\d+$/) });
    expect(Number(first.headers["x-ratelimit-remaining"])).toBeLessThan(1000);
    expect(Number(first.headers["x-ratelimit-reset"])).toBeGreaterThan(0);
    expect(Number(first.headers["x-ratelimit-reset"])).toBeLessThanOrEqual(60);

    // the same key from either source is the same authorization: answered from the cache
    for (let i = 1; i < REQUESTS; i++) {
      const path = i % 2 ? `/orders/${i}?api_key=${KEY}` : `/orders/${i}`;
      const r = await call(path, i % 2 ? {} : { "x-api-key": KEY });
      expect(r).toMatchObject(passed(path));
      expect(rateLimitHeaders(r.headers), path).toEqual({});
    }
    expect(allowed).toBe(REQUESTS);
    expect(simulator.requests.filter(isAuthrep)).toHaveLength(1);
    expect(await stat("cache.hits")).toBe(REQUESTS - 1);
  });

  it("reports the usage of the cached requests in batches: the backend counts every request allowed", { timeout: 30_000 }, async () => {
    // the authrep recorded 1 hit at once; the report_interval (10 s) brings the rest
    await until("the batched reports", () => simulator.usage(SERVICE_ID, APP, "hits") === allowed, 20_000).catch(() => undefined);
    expect(simulator.usage(SERVICE_ID, APP, "hits")).toBe(allowed);
    const reports = simulator.requests.filter(isReport);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((r) => r.status === 202)).toBe(true);
    expect(reports.reduce((n, r) => n + reportedHits(r), 0)).toBe(allowed - 1);
    expect(simulator.requests.filter(isAuthrep)).toHaveLength(1);
  });

  it("while the backend is down: the key allowed before is let through on its stale authorization, an unknown key is denied", async () => {
    await sleep(Math.max(0, authorizedAt + TTL_MS + 500 - Date.now())); // the cached authorization has expired
    await simulator.pause(); // connections refused: Envoy answers the authrep 503
    try {
      const stale = await call("/", { "x-api-key": KEY });
      expect(stale).toMatchObject(passed("/"));
      expect(rateLimitHeaders(stale.headers)).toEqual({});
      const unknown = await call("/", { "x-api-key": "key-unknown" });
      expect({ status: unknown.status, body: unknown.body }).toEqual(DENIED);
    } finally {
      await simulator.resume();
    }
    expect(await stat("failure_policy.stale_served")).toBe(1);
    expect(await stat("failure_policy.opened")).toBe(0);
    expect(failures(envoy)).toEqual([]);
  });
});
