// The seed format and the model it builds.
import { describe, expect, it } from "vitest";
import { applySeed, type Seed } from "../../tools/simulator/seed";
import { SimState } from "../../tools/simulator/state";
import { authrep, simulator } from "./support";

const load = (seed: Seed) => applySeed(new SimState(), seed, () => undefined);

describe("seed", () => {
  it("defaults to a user-key service with a hits metric and active applications on the first plan", () => {
    const state = new SimState();
    applySeed(state, { services: [{ id: "1", providerKey: "pk", plans: [{ name: "Gold" }], applications: [{ id: "a", userKey: "k" }] }] }, () => undefined);
    const service = state.requireService("1");
    expect([service.mode, service.active, service.metrics.map((m) => m.name)]).toEqual(["1", true, ["hits"]]);
    expect(state.applicationByUserKey("1", "k")).toMatchObject({ id: "a", plan: "Gold", state: "active" });
    expect(state.providers.get("pk")?.defaultServiceId).toBe("1");
  });

  it("promotes each service's config to both environments unless told otherwise", () => {
    const promoted: string[] = [];
    applySeed(new SimState(), { services: [{ id: "1", providerKey: "pk" }, { id: "2", providerKey: "pk", environments: ["sandbox"] }] },
      (id, env) => promoted.push(`${id}/${env}`));
    expect(promoted).toEqual(["1/production", "1/sandbox", "2/sandbox"]);
  });

  it("rejects unknown modes, plans, metrics and periods", () => {
    expect(() => load({ services: [{ id: "1", providerKey: "pk", mode: "3" as "1" }] })).toThrow(/mode/);
    expect(() => load({ services: [{ id: "1", providerKey: "pk", applications: [{ id: "a", plan: "Gold" }] }] })).toThrow(/unknown plan Gold/);
    expect(() => load({ services: [{ id: "1", providerKey: "pk", plans: [{ name: "P", limits: [{ metric: "x", period: "day", max: 1 }] }] }] }))
      .toThrow(/unknown metric x/);
    expect(() => load({ services: [{ id: "1", providerKey: "pk", plans: [{ name: "P", limits: [{ metric: "hits", period: "fortnight" as "day", max: 1 }] }] }] }))
      .toThrow(/unknown period/);
    expect(() => load({ services: [{ id: "1", providerKey: "pk", metrics: [{ name: "child", parent: "hits" }] }] })).toThrow(/parent/);
  });

  it("propagates usage through every level of a deeper metric hierarchy", async () => {
    const sim = await simulator({
      services: [{
        id: "7", providerKey: "pk-7", mode: "2", tokens: ["tok-7"], applications: [{ id: "app1" }],
        metrics: [{ name: "hits" }, { name: "api" }, { name: "v2", parent: "api" }, { name: "search", parent: "v2" }],
      }],
    });
    await authrep(sim, { app_id: "app1", "usage[v2]": "1", "usage[search]": "2" });
    expect(["search", "v2", "api", "hits"].map((m) => sim.usage("7", "app1", m))).toEqual([2, 3, 3, 0]);
  });
});
