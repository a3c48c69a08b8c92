// A.6–A.8: usage semantics, limits per calendar period (UTC, injected clock) and recording.
import { describe, expect, it } from "vitest";
import type { SeedService } from "../../tools/simulator/seed";
import { appIdService, authorizeCall, authrep, reasonOf, request, simulator } from "./support";

type LimitSeed = NonNullable<NonNullable<SeedService["plans"]>[number]["limits"]>;

function limited(limits: LimitSeed, now = "2024-05-15T10:31:00Z") {
  return simulator({ services: [appIdService({ plans: [{ name: "Basic", limits }] })] }, { now });
}

const call = (sim: Awaited<ReturnType<typeof limited>>, usage: Record<string, string>, options?: string) =>
  authrep(sim, { app_id: "app1", app_key: "key1", ...Object.fromEntries(Object.entries(usage).map(([m, v]) => [`usage[${m}]`, v])) }, options);

describe("limits", () => {
  it("allow up to max_value per period instance and start over in the next one", async () => {
    const sim = await limited([{ metric: "hits", period: "minute", max: 5 }], "2024-05-15T10:31:59Z");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(sim, { hits: "1" })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 409]);
    expect(reasonOf(await call(sim, { hits: "1" }))).toBe("usage limits are exceeded");
    sim.advance(1000); // 10:32:00, a new minute
    expect((await call(sim, { hits: "5" })).status).toBe(200);
    expect(sim.usage("7", "app1", "hits", "minute")).toBe(5);
    expect(sim.usage("7", "app1", "hits", "hour")).toBe(10);
  });

  it("count weeks from Monday 00:00 UTC", async () => {
    const sim = await limited([{ metric: "hits", period: "week", max: 2 }], "2024-05-19T23:59:59Z"); // Sunday
    expect((await call(sim, { hits: "2" })).status).toBe(200);
    expect((await call(sim, { hits: "1" })).status).toBe(409);
    sim.setNow("2024-05-20T00:00:00Z");
    expect((await call(sim, { hits: "1" })).status).toBe(200);
  });

  it("check every limit of a metric in the usage: the tightest one decides", async () => {
    const sim = await limited([{ metric: "hits", period: "day", max: 100 }, { metric: "hits", period: "hour", max: 10 }]);
    expect((await call(sim, { hits: "10" })).status).toBe(200);
    expect((await call(sim, { hits: "1" })).status).toBe(409);
    sim.advance(3600_000);
    expect((await call(sim, { hits: "10" })).status).toBe(200);
  });

  it("ignore limits on metrics that are not in the usage, even when exceeded", async () => {
    const sim = await limited([{ metric: "orders", period: "day", max: 1 }]);
    await request(sim, "POST", "/transactions.xml", { body: "service_token=tok-7&service_id=7&transactions[0][app_id]=app1&transactions[0][usage][orders]=5" });
    expect((await call(sim, { products: "1" })).status).toBe(200);
    expect((await call(sim, { orders: "1" })).status).toBe(409);
  });

  it("without usage, deny only when a counter is already above its limit", async () => {
    const sim = await limited([{ metric: "orders", period: "day", max: 2 }]);
    const report = (n: number) => request(sim, "POST", "/transactions.xml", {
      body: `service_token=tok-7&service_id=7&transactions[0][app_id]=app1&transactions[0][usage][orders]=${n}`,
    });
    await report(2);
    expect((await call(sim, {})).status).toBe(200); // at the limit
    await report(1);
    expect((await call(sim, {})).status).toBe(409); // above it
  });

  it("treat a limit of 0 as a disabled metric, which a zero delta still passes", async () => {
    const sim = await limited([{ metric: "orders", period: "eternity", max: 0 }]);
    expect((await call(sim, { orders: "1" })).status).toBe(409);
    expect((await call(sim, { orders: "0" })).status).toBe(200);
  });

  it("check a predicted usage on authorize without recording it", async () => {
    const sim = await limited([{ metric: "hits", period: "day", max: 3 }]);
    expect((await authorizeCall(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "3" })).status).toBe(200);
    expect((await authorizeCall(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "4" })).status).toBe(409);
    expect(sim.usage("7", "app1", "hits")).toBe(0);
  });

  it("record exactly the usage of the requests they let through", async () => {
    const sim = await limited([{ metric: "hits", period: "minute", max: 7 }]);
    let allowed = 0;
    for (let i = 0; i < 12; i++) if ((await call(sim, { products: "1" })).status === 200) allowed++;
    expect(allowed).toBe(7);
    expect(sim.usage("7", "app1", "products")).toBe(allowed);
    expect(sim.totalUsage("hits")).toBe(allowed);
  });
});

describe("usage semantics", () => {
  it("propagate a child's delta to its parent, adding up with an explicit parent entry", async () => {
    const sim = await limited([]);
    await call(sim, { products: "2", hits: "1" });
    expect([sim.usage("7", "app1", "products"), sim.usage("7", "app1", "hits")]).toEqual([2, 3]);
  });

  it("check parent limits against propagated child usage", async () => {
    const sim = await limited([{ metric: "hits", period: "day", max: 3 }]);
    expect((await call(sim, { products: "2", orders: "1" })).status).toBe(200);
    expect((await call(sim, { orders: "1" })).status).toBe(409);
  });

  it("with flat_usage=1, neither check nor record parents", async () => {
    const sim = await limited([{ metric: "hits", period: "day", max: 1 }]);
    expect((await call(sim, { products: "5" }, "flat_usage=1")).status).toBe(200);
    expect([sim.usage("7", "app1", "products"), sim.usage("7", "app1", "hits")]).toEqual([5, 0]);
  });

  it("#n sets the counter in every period, and a child's set is a set on the parent", async () => {
    const sim = await limited([]);
    await call(sim, { hits: "4" });
    await call(sim, { products: "%237" });
    expect([sim.usage("7", "app1", "products", "minute"), sim.usage("7", "app1", "hits", "year")]).toEqual([7, 7]);
    await call(sim, { hits: "%230" });
    expect(sim.usage("7", "app1", "hits")).toBe(0);
  });

  it("#n is checked as the new value, not as a delta", async () => {
    const sim = await limited([{ metric: "hits", period: "day", max: 10 }]);
    await call(sim, { hits: "9" });
    expect((await call(sim, { hits: "%2310" })).status).toBe(200);
    expect((await call(sim, { hits: "%2311" })).status).toBe(409);
    expect(sim.usage("7", "app1", "hits", "day")).toBe(10);
  });

  it("drop zero deltas: an all-zero authrep changes nothing", async () => {
    const sim = await limited([]);
    expect((await call(sim, { hits: "0", products: "00" })).status).toBe(200);
    expect(sim.totalUsage("hits") + sim.totalUsage("products")).toBe(0);
  });
});
