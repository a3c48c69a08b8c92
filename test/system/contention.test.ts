// The shared fetch record under compare-and-swap conflicts: the lease that makes one portal
// fetch per service and period, its release with the fetched document, and the record a
// re-configure takes over. The host puts another worker's write between a module's read and
// its write (tools/host/shared.ts); the ignoreCas mutation (a module ignoring the token) must
// make two workers fetch.
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer } from "../../tools/host/types";
import { advance, document, FETCHED_TOKEN, FETCHED_RULE, ok, portal, SPREAD_MS, systemConfig, TICK_MS, type Portal } from "./support";

const ID = "2555417900001";
const RECORD = /\/system\//;
const good = ok(document(FETCHED_TOKEN, [FETCHED_RULE]));

let p: Portal | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

/** the first lease a worker writes: the other worker runs its own tick first, right then */
function tickInBetween(portal: Portal): { leasers: string[] } {
  const seen = { leasers: [] as string[] };
  const remove = portal.host.shared.data.interleave(RECORD, ({ op, instance }) => {
    if (op !== "set" || !instance.startsWith("worker")) return;
    remove();
    seen.leasers.push(instance);
    portal.host.instances[instance === "worker 0" ? 1 : 0]!.tick();
  });
  return seen;
}

async function expectFetchedEverywhere(portal: Portal): Promise<void> {
  for (const worker of [0, 1]) {
    expect(await portal.authrep("/fetched/1?user_key=k", worker)).toMatchObject({ service_token: FETCHED_TOKEN, "usage[fetched]": "2" });
  }
}

describe("the fetch record under CAS conflicts", () => {
  it("makes one fetch when the other worker takes the lease between a worker's read and its write", async () => {
    p = await portal(systemConfig(), [[ID, good]]);
    const conflict = tickInBetween(p);
    await advance(p, SPREAD_MS);
    expect(conflict.leasers).toHaveLength(1);
    expect(p.fetches()).toHaveLength(1);
    expect(p.fetches()[0]!.instance).not.toBe(conflict.leasers[0]); // the interleaved tick won
    await expectFetchedEverywhere(p);
  });

  it("releases the lease with the document after three refused writes", async () => {
    p = await portal(systemConfig());
    let refusing: { readonly failed: number } | undefined;
    p.answers.set(ID, async (): Promise<CallAnswer> => {
      refusing = p!.host.shared.data.failCas(RECORD, 3); // while the holder releases the lease
      return good;
    });
    await advance(p, SPREAD_MS);
    expect(refusing?.failed).toBe(3);
    await expectFetchedEverywhere(p);
    await advance(p, 10_000); // past the lease's end: a released lease is not taken over
    expect(p.fetches()).toHaveLength(1);
  });

  it("takes over the record of a previous configuration after three refused writes", async () => {
    p = await portal(systemConfig(), [[ID, good]]);
    await advance(p, SPREAD_MS);
    const refusing = p.host.shared.data.failCas(RECORD, 3);
    p.answers.set(ID, ok(document(null, [FETCHED_RULE])));
    expect((await p.host.configure(JSON.stringify(systemConfig({ token: "pat-2" })))).accepted).toBe(true);
    expect(refusing.failed).toBe(3);
    await advance(p, SPREAD_MS);
    expect(p.fetches()).toHaveLength(2);
    for (const worker of [0, 1]) {
      expect(await p.authrep("/fetched/1?user_key=k", worker)).toMatchObject({ service_token: "st-6e2d", "usage[fetched]": "2" });
    }
  });

  it("gives up releasing when every write is refused (bounded, no trap); the lease then expires and another fetch takes over", async () => {
    p = await portal(systemConfig());
    let refusing: { readonly failed: number; remove(): void } | undefined;
    p.answers.set(ID, async (): Promise<CallAnswer> => {
      refusing ??= p!.host.shared.data.failCas(RECORD, Infinity);
      return good;
    });
    await advance(p, SPREAD_MS);
    expect(p.fetches()).toHaveLength(1);
    expect(refusing!.failed).toBeGreaterThan(0);
    expect(refusing!.failed).toBeLessThanOrEqual(4);
    expect(p.host.instances.map((vm) => vm.failed)).toEqual([false, false]);
    refusing!.remove();
    await advance(p, 2000 + 5000); // the call's timeout plus the lease's grace
    expect(p.fetches()).toHaveLength(2);
    await expectFetchedEverywhere(p);
  });
});

describe("the ignoreCas mutation (a module whose shared-data writes ignore the token)", () => {
  it("fetches twice when both workers take the lease", async () => {
    p = await portal(systemConfig(), [[ID, good]]);
    p.host.shared.data.ignoreCas = true;
    const conflict = tickInBetween(p);
    await advance(p, SPREAD_MS);
    expect(conflict.leasers).toHaveLength(1);
    expect(p.fetches()).toHaveLength(2);
  });
});
