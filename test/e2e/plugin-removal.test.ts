// A config push in a real Envoy 1.40 (two workers): the replaced listener drains, its plugin
// instance is removed, and proxy_on_done reports what that instance recorded at once — long
// before the next report interval — and Envoy delivers the reports' answers to the root
// context pending done, which then calls proxy_done.
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/server";
import type { Seed } from "../../tools/simulator/seed";
import { config, service } from "../support/configs";
import { envoyBin, failures, startInto, stopAfterEach } from "./support";
import { sleep, startLoad, statusCounts, until } from "../support/request-loop";

const SERVICE_ID = "2555417900001";
const TOKEN = "st-removal";
const HOST = "api.example.com";
const KEY = "uk-removal";
/** far longer than the test: only on_done can report the usage in time */
const REPORT_INTERVAL_S = 600;

const seed: Seed = {
  services: [{ id: SERVICE_ID, providerKey: "pk", tokens: [TOKEN], applications: [{ id: "app-removal", userKey: KEY }] }],
};

const pluginConfig = (ttl: number) => {
  const c = config([service({ id: SERVICE_ID, token: TOKEN, mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }] })]);
  (c.backend as Record<string, unknown>).cache = { authorization_ttl: ttl, report_interval: REPORT_INTERVAL_S };
  return JSON.stringify(c);
};

const hits = (sim: Simulator) => sim.usage(SERVICE_ID, KEY, "hits");
const reports = (sim: Simulator) => sim.requests.filter((r) => r.method === "POST" && r.pathname === "/transactions.xml");

const stack = stopAfterEach();

describe.skipIf(!envoyBin)("plugin removal in real Envoy", () => {
  it("reports the removed instance's usage from on_done and gets the answers before proxy_done", { timeout: 60_000 }, async () => {
    const { envoy, simulator } = await startInto(stack, { seed, configuration: pluginConfig(300), name: "e2e.removal", dynamicListener: true, quiet: true });
    const load = startLoad(envoy, { clients: 4, host: HOST, path: () => `/?user_key=${KEY}` });
    await until("traffic", () => load.outcomes.length >= 300, 30_000);
    const outcomes = await load.stop();
    expect(statusCounts(outcomes)).toEqual({ "200": outcomes.length });
    expect(hits(simulator)).toBeLessThan(outcomes.length); // most were recorded from the cache
    expect(reports(simulator)).toEqual([]);

    await envoy.reconfigure(pluginConfig(301)); // the old listener drains for 2 s, then its plugin goes
    await until("the removed instance's reports", () => hits(simulator) === outcomes.length, 20_000).catch(() => undefined);
    expect(hits(simulator)).toBe(outcomes.length);
    expect(reports(simulator).length).toBeGreaterThan(0);
    await envoy.waitForLine("stderr", /plugin removed: its last reports are answered \(proxy_done: status 0\)/, 10_000);
    expect(envoy.stderr()).not.toMatch(/proxy_done: status [1-9]/);
    await sleep(2000);
    expect(hits(simulator)).toBe(outcomes.length); // nothing reported twice
    expect(failures(envoy)).toEqual([]);
  });
});
