// The system (portal) configuration fetch in a real Envoy 1.40 (two workers) against the
// simulator's proxy-config endpoint: the fetched token and rules are used right after startup,
// and a portal failing at startup leaves the static configuration working.
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/server";
import type { Seed } from "../../tools/simulator/seed";
import { config, service } from "../support/configs";
import { envoyBin, send, SERVICE_ID, SERVICE_TOKEN, startInto, stopAfterEach } from "./support";

const SYSTEM_CLUSTER = "outbound|443||tenant-admin.3scale.net";
const ACCESS_TOKEN = "pat-e2e";

const seed: Seed = {
  providers: [{ key: "pk", accessTokens: [ACCESS_TOKEN] }],
  services: [{
    id: SERVICE_ID, providerKey: "pk", tokens: [SERVICE_TOKEN, "static-token"],
    metrics: [{ name: "hits" }, { name: "products", parent: "hits" }],
    applications: [{ id: "uk-basic", userKey: "uk-1" }],
    mappingRules: [{ method: "GET", pattern: "/fetched/{id}", metric: "products", delta: 2 }],
  }],
};

/** the static service knows only `/`; the portal's document carries the first service token */
const pluginConfig = config(
  [service({ id: SERVICE_ID, token: "static-token", mapping_rules: [{ method: "GET", pattern: "/$", usages: [{ name: "hits", delta: 1 }] }] })],
  { system: { upstream: { name: SYSTEM_CLUSTER, url: "http://tenant-admin.3scale.net/", timeout: 2000 }, token: ACCESS_TOKEN, ttl: 300 } },
);

const stack = stopAfterEach();

const start = (prepare: (sim: Simulator) => void) =>
  startInto(stack, { seed, configuration: JSON.stringify(pluginConfig), name: "e2e.system", clusters: [SYSTEM_CLUSTER], prepare });

/** waits for the first fetch's answer, then a tick more so every worker has applied it */
async function fetched(sim: Simulator): Promise<void> {
  const fetch = await sim.waitForRequest((r) => r.pathname.endsWith("/latest.json"));
  expect(fetch.path).toBe(`/admin/api/services/${SERVICE_ID}/proxy/configs/production/latest.json?access_token=${ACCESS_TOKEN}`);
  await new Promise((wake) => setTimeout(wake, 1500));
}

describe.skipIf(!envoyBin)("system configuration fetch in real Envoy", () => {
  it("uses the token and rules fetched right after startup", async () => {
    const { envoy, simulator } = await start(() => {});
    await fetched(simulator);
    for (let i = 0; i < 4; i++) {
      const r = await send(envoy, `/fetched/${i}?user_key=uk-1`, { host: "api.example.com" });
      expect(r.status).toBe(200);
    }
    expect(simulator.usage(SERVICE_ID, "uk-basic", "products")).toBe(8);
    const authreps = simulator.requests.filter((r) => r.pathname === "/transactions/authrep.xml");
    expect(authreps.every((r) => r.params.service_token === SERVICE_TOKEN)).toBe(true);
    expect(simulator.requests.filter((r) => r.pathname.endsWith("/latest.json"))).toHaveLength(1);
  });

  it("keeps the static configuration when the portal answers 500 at startup", async () => {
    const { envoy, simulator } = await start((sim) => sim.inject({ scope: "config", answer: "error", status: 500 }));
    await fetched(simulator);
    expect((await send(envoy, "/?user_key=uk-1", { host: "api.example.com" })).status).toBe(200);
    const authrep = simulator.requests.find((q) => q.pathname === "/transactions/authrep.xml");
    expect(authrep?.params).toMatchObject({ service_token: "static-token", usage: { hits: "1" } });
    // the fetched rule never arrived: no mapping rule matches
    expect((await send(envoy, "/fetched/1?user_key=uk-1", { host: "api.example.com" })).status).toBe(404);
    expect(envoy.stderr() + envoy.stdout()).toMatch(/system: service 2555417900001: fetch failed: status 500; keeping the last good configuration/);
  });
});
