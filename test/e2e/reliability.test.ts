// Reliability in a real Envoy 1.40 (two workers) under continuous load: the plugin configuration
// reloaded through LDS, the 3scale backend going away and coming back, and a portal answering
// errors and junk. None of these may trap the module or lose or invent an authorization.
import { describe, expect, it } from "vitest";
import { moduleStats } from "../../tools/envoy/envoy";
import type { Simulator } from "../../tools/simulator/server";
import type { Seed } from "../../tools/simulator/seed";
import { config, service } from "../support/configs";
import { envoyBin, failures, send, startInto, stopAfterEach } from "./support";
import { settledAfter, sleep, startLoad, statusCounts, until } from "../support/request-loop";

const SERVICE_ID = "2555417900001";
const TOKEN = "st-rel";
const HOST = "api.example.com";
/** a valid key on an unlimited plan: every request must be allowed unless the backend is gone */
const KEY = "uk-rel";

// `products` is deliberately not a child of `hits`: the backend would add it to `hits`, and the
// tests count `hits` to compare it with the 200s the clients saw
const seed: Seed = {
  services: [{
    id: SERVICE_ID, providerKey: "pk", tokens: [TOKEN],
    metrics: [{ name: "hits" }, { name: "products" }],
    applications: [{ id: "app-rel", userKey: KEY }],
  }],
};

const hitsRule = { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] };
const productsRule = { method: "GET", pattern: "/products", usages: [{ name: "products", delta: 1 }] };
const pluginConfig = (rules: unknown[]) => JSON.stringify(config([service({ id: SERVICE_ID, token: TOKEN, mapping_rules: rules })]));

const stack = stopAfterEach();

const start = (configuration: string, dynamicListener = false) =>
  startInto(stack, { seed, configuration, name: "e2e.reliability", dynamicListener });

const hits = (sim: Simulator) => sim.usage(SERVICE_ID, KEY, "hits");
const products = (sim: Simulator) => sim.usage(SERVICE_ID, KEY, "products");
const authrepsWithProducts = (sim: Simulator) =>
  sim.requests.filter((r) => r.pathname === "/transactions/authrep.xml" && r.query.includes("usage[products]="));

/** Envoy's --drain-time-s in the LDS test: the replaced filter chain, and its plugin, go after this */
const DRAIN_MS = 2000;

describe.skipIf(!envoyBin)("reliability in real Envoy", () => {
  it("reloads the plugin configuration while requests flow, without failing a single one", { timeout: 90_000 }, async () => {
    const { envoy, simulator } = await start(pluginConfig([hitsRule]), true);
    const load = startLoad(envoy, { clients: 6, host: HOST, path: (n) => (n % 2 ? `/products/${n}` : "/") + `?user_key=${KEY}` });
    // keeps the load running past the drain, so the old plugin instance is torn down under load
    const runPastDrain = async (since: number) => {
      await until("traffic", () => load.outcomes.filter((r) => r.start > since).length >= 50, 15_000);
      await sleep(DRAIN_MS + 1000 - (Date.now() - since));
    };
    await runPastDrain(Date.now());

    await envoy.reconfigure(pluginConfig([hitsRule, productsRule]));
    const withProducts = Date.now();
    await runPastDrain(withProducts);

    await envoy.reconfigure(pluginConfig([hitsRule]));
    const withoutProducts = Date.now();
    await runPastDrain(withoutProducts);

    // a configuration the module rejects: Envoy refuses the update and keeps serving the old one
    const rejected = await envoy.reconfigure(JSON.stringify({ api: "v1", services: "none" })).catch((e: Error) => e);
    expect(rejected).toBeInstanceOf(Error);
    expect(String(rejected)).toMatch(/rejected listener version 4/);
    await runPastDrain(Date.now());
    const outcomes = await load.stop();

    expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
    expect(hits(simulator)).toBe(outcomes.length);
    // every /products request started once the first reload was in place reported products …
    const productsWindow = outcomes.filter((r) =>
      r.path.startsWith("/products") && r.start >= settledAfter(outcomes, withProducts) && r.end <= withoutProducts);
    expect(productsWindow.length).toBeGreaterThan(10);
    expect(products(simulator)).toBeGreaterThanOrEqual(productsWindow.length);
    // … and none once the second one was and the requests running then had finished
    const back = settledAfter(outcomes, withoutProducts);
    expect(authrepsWithProducts(simulator).filter((r) => r.time > back)).toEqual([]);
    expect(envoy.stderr()).toMatch(/configuration rejected: services: /);
    expect(failures(envoy)).toEqual([]);
  });

  it("denies while the backend is down, recovers when it is back, and counts exactly the hits served", { timeout: 60_000 }, async () => {
    const { envoy, simulator } = await start(pluginConfig([hitsRule]));
    const load = startLoad(envoy, { clients: 6, host: HOST, path: () => `/?user_key=${KEY}` });
    await until("traffic", () => load.outcomes.length >= 100, 15_000);
    await simulator.pause(); // connections refused, pooled ones closed: as if the process died
    const down = Date.now();
    await sleep(2000);
    const restarting = Date.now();
    await simulator.resume();
    const up = Date.now();
    await until("traffic after the restart", () => load.outcomes.filter((r) => r.start > up).length >= 100, 15_000);
    const outcomes = await load.stop();

    // only the filter's own answers: allowed, denied (Envoy answers a refused connection 503),
    // and 502 for a call reset in flight when the backend went away
    const notFromTheFilter = outcomes.filter((r) => ![200, 403, 502].includes(r.status));
    expect(notFromTheFilter.slice(0, 5)).toEqual([]);
    const during = outcomes.filter((r) => r.start >= down && r.end <= restarting);
    expect(during.length).toBeGreaterThan(20);
    expect(statusCounts(during)).toEqual({ "403": during.length });
    expect(new Set(during.map((r) => r.body))).toEqual(new Set(["Authentication failed\n"]));
    expect(envoy.accessLog().filter((e) => e.code === 403).every((e) => e.details === "authrep_denied_503")).toBe(true);
    const after = outcomes.filter((r) => r.start >= up);
    expect(statusCounts(after)).toEqual({ "200": after.length });
    expect(hits(simulator)).toBe(outcomes.filter((r) => r.status === 200).length);
    expect(failures(envoy)).toEqual([]);
  });
});

const SYSTEM_CLUSTER = "outbound|443||tenant-admin.3scale.net";
const ACCESS_TOKEN = "pat-rel";
const PORTAL_SERVICES = ["11", "12", "13"];
const portalHost = (id: string) => `s${id}.example.com`;

/** the `/fetched` rule and the valid service token exist only in the portal's documents */
const portalSeed: Seed = {
  providers: [{ key: "pk", accessTokens: [ACCESS_TOKEN] }],
  services: PORTAL_SERVICES.map((id) => ({
    id, providerKey: "pk", tokens: [`st-${id}`],
    metrics: [{ name: "hits" }, { name: "fetched" }],
    applications: [{ id: `app-${id}`, userKey: `uk-${id}` }],
    mappingRules: [{ method: "GET", pattern: "/fetched", metric: "fetched", delta: 1 }],
  })),
};

const portalConfig = config(
  PORTAL_SERVICES.map((id) => service({ id, token: "not-a-valid-token", authorities: [portalHost(id)], mapping_rules: [hitsRule] })),
  // ttl 20 is the minimum: the second fetch comes 20–35 s after the first
  { system: { upstream: { name: SYSTEM_CLUSTER, url: "http://tenant-admin.3scale.net/", timeout: 5000 }, token: ACCESS_TOKEN, ttl: 20 } },
);

const isFetch = (r: { pathname: string }) => r.pathname.endsWith("/latest.json");
const fetchedServiceId = (r: { pathname: string }) => r.pathname.split("/")[4];

describe.skipIf(!envoyBin)("reliability in real Envoy: a failing portal", () => {
  it("keeps each service's last good fetched configuration when its next fetch gets 500, garbage or a huge body", { timeout: 60_000 }, async () => {
    const { envoy, simulator } = await startInto(stack, {
      seed: portalSeed, configuration: JSON.stringify(portalConfig), name: "e2e.reliability.portal", clusters: [SYSTEM_CLUSTER],
    });
    await until("the first fetches", () => simulator.requests.filter((r) => isFetch(r) && r.status === 200).length === 3, 15_000);
    // the next three fetches, one per service, get one fault each (faults apply in injection order)
    simulator.inject({ scope: "config", answer: "error", status: 500, times: 1 });
    simulator.inject({ scope: "config", answer: "garbage", times: 1 });
    simulator.inject({ scope: "config", answer: "huge", times: 1 });
    await sleep(1500); // every worker applies the first documents on its next tick

    // probes each service every 250 ms until the faulty fetches have all been answered
    const probes: { id: string; status: number }[] = [];
    const probe = async () => {
      for (const id of PORTAL_SERVICES) {
        const r = await send(envoy, `/fetched?user_key=uk-${id}`, { host: portalHost(id) });
        probes.push({ id, status: r.status });
      }
    };
    const faulty = () => simulator.requests.filter((r) => isFetch(r) && r.fault);
    const deadline = Date.now() + 45_000; // second fetches: 20–35 s after the first ones
    while (faulty().filter((r) => r.status !== undefined).length < 3) {
      if (Date.now() > deadline) throw new Error(`only ${faulty().length} faulty fetches within 45 s`);
      await probe();
      await sleep(250);
    }
    await sleep(1500); // a tick after the last failure, on every worker
    await probe();

    expect(faulty().map(fetchedServiceId).sort()).toEqual(PORTAL_SERVICES);
    expect(probes.length).toBeGreaterThan(30);
    expect(probes.filter((p) => p.status !== 200).slice(0, 5)).toEqual([]);
    for (const id of PORTAL_SERVICES) {
      expect(simulator.usage(id, `uk-${id}`, "fetched")).toBe(probes.filter((p) => p.id === id).length);
    }
    for (const fetch of faulty()) {
      const why = { error: "status 500", garbage: "body is not valid UTF-8", huge: "body of 8388608 bytes, more than 4194304" }[fetch.fault!.answer as string];
      expect(envoy.stderr()).toContain(`system: service ${fetchedServiceId(fetch)}: fetch failed: ${why}; keeping the last good configuration`);
    }
    // the fetch metrics, summed over the workers in Envoy's /stats
    const stats = await moduleStats(envoy);
    expect(stats["system.fetch_failures"]).toBe(3);
    expect(stats["system.fetches"]).toBeGreaterThanOrEqual(6); // three good ones, three failed
    expect(failures(envoy)).toEqual([]);
  });
});
