// A full usage table (max_entries slots, a few probes per key): a request it cannot record is
// authorized synchronously instead — its authrep reports it — so counts stay exact.
import { afterEach, describe, expect, it } from "vitest";
import { app, appService, cachedConfig, gateway, user, userService, APP_SERVICE, USER_SERVICE, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const PATHS = 40;
/** GET /p<i>/ → hits i: forty usages, so forty transaction keys per credential */
const rules = Array.from({ length: PATHS }, (_, i) => ({ method: "GET", pattern: `/p${i + 1}/`, usages: [{ name: "hits", delta: i + 1 }] }));

describe("a full usage table", () => {
  it("falls back to synchronous authreps, counts table_full, and counts exactly", async () => {
    g = await gateway(cachedConfig({
      cache: { max_entries: 16, report_interval: 5, authorization_ttl: 60 },
      services: [userService({ mapping_rules: rules }), appService({ mapping_rules: rules })],
    }), { simulator: true });
    let expectedUser = 0;
    let expectedApp = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i <= PATHS; i += 5) {
        const burst = [];
        // each key twice in a row: an authrep, then a use of its authorization to record
        for (let j = i; j < i + 5; j++) {
          burst.push(user(g, "uk-1", { worker: j % 2, path: `/p${j}/x` }).then((r) => { if (r.status === 200) expectedUser += j; }));
          burst.push(app(g, "app-1", "key-1", { worker: (j + 1) % 2, path: `/p${j}/y` }).then((r) => { if (r.status === 200) expectedApp += j; }));
        }
        await Promise.all(burst);
        await Promise.all(burst.map((_, k) => {
          const j = i + Math.floor(k / 2);
          return k % 2 === 0
            ? user(g!, "uk-1", { worker: (j + 1) % 2, path: `/p${j}/x` }).then((r) => { if (r.status === 200) expectedUser += j; })
            : app(g!, "app-1", "key-1", { worker: j % 2, path: `/p${j}/y` }).then((r) => { if (r.status === 200) expectedApp += j; });
        }));
      }
      await g.advance(1_000);
    }
    expect(expectedUser).toBe(2 * 3 * (PATHS * (PATHS + 1)) / 2);
    expect(g.metric("cache.table_full")).toBeGreaterThan(0);
    expect(g.metric("cache.hits")).toBeGreaterThan(0);
    await g.advance(12_000);
    expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(expectedUser);
    expect(g.sim!.usage(APP_SERVICE, "app-1", "hits")).toBe(expectedApp);
    expect(g.metric("reports.dropped_requests")).toBe(0);
    // every request was reported once: by an authrep or by a report
    const authorized = g.authreps().filter((c) => c.response?.headers.some(([n, v]) => n === ":status" && String(v) === "200")).length;
    expect(authorized + g.metric("reports.requests")).toBe(2 * 2 * 3 * PATHS);
  });

  it("records again once a report has emptied the table", async () => {
    g = await gateway(cachedConfig({ cache: { max_entries: 16, report_interval: 5, authorization_ttl: 3600 }, services: [userService({ mapping_rules: rules })] }));
    for (let j = 1; j <= PATHS; j++) {
      await user(g, "k", { path: `/p${j}/` });
      await user(g, "k", { path: `/p${j}/` });
    }
    const full = g.metric("cache.table_full");
    expect(full).toBeGreaterThan(0);
    await g.advance(5_000);
    // the table is empty again: every key that still has its authorization records its use
    const hits = g.metric("cache.hits");
    const authreps = g.authreps().length;
    for (let j = 1; j <= PATHS; j++) await user(g, "k", { path: `/p${j}/` });
    const served = g.metric("cache.hits") - hits;
    expect(served).toBeGreaterThan(0);
    expect(g.metric("cache.table_full")).toBe(full);
    expect(g.authreps().length - authreps).toBe(PATHS - served);
  });
});
