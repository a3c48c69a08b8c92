// A.9: the 3scale-options extensions.
import { describe, expect, it } from "vitest";
import type { SeedService } from "../../tools/simulator/seed";
import { appIdService, authorizeCall, authrep, simulator } from "./support";

type LimitSeed = NonNullable<NonNullable<SeedService["plans"]>[number]["limits"]>;

const limited = (limits: LimitSeed, now: string) =>
  simulator({ services: [appIdService({ plans: [{ name: "Basic", limits }] })] }, { now });

const limitHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith("3scale-limit-")));

describe("no_body", () => {
  it("empties 200, 409 and error bodies, keeping status and headers", async () => {
    const sim = await simulator();
    const ok = await authrep(sim, { app_id: "app1", app_key: "key1" }, "no_body=1&rejection_reason_header=1");
    const denied = await authrep(sim, { app_id: "app1", app_key: "no" }, "no_body=1&rejection_reason_header=1");
    const error = await authrep(sim, { app_id: "boo" }, "no_body=1");
    expect([ok.status, ok.body, ok.headers["content-type"]]).toEqual([200, "", "application/vnd.3scale-v2.0+xml"]);
    expect([denied.status, denied.body, denied.headers["3scale-rejection-reason"]]).toEqual([409, "", "application_key_invalid"]);
    expect([error.status, error.body]).toEqual([404, ""]);
  });

  it("is enabled by any value but 0 and false, also as the legacy query parameter", async () => {
    const sim = await simulator();
    const empty = async (options?: string, legacy?: string) =>
      (await authrep(sim, { app_id: "app1", app_key: "key1", no_body: legacy }, options)).body === "";
    expect([await empty("no_body=true"), await empty("no_body=0"), await empty("no_body=false")]).toEqual([true, false, false]);
    expect([await empty(undefined, "1"), await empty(undefined, "0")]).toEqual([true, false]);
    expect(await empty(undefined)).toBe(false);
  });
});

describe("rejection_reason_header", () => {
  it("names the reason of 409 denials only", async () => {
    const sim = await simulator();
    const options = "rejection_reason_header=1";
    expect((await authrep(sim, { app_id: "app1", app_key: "no" }, options)).headers["3scale-rejection-reason"]).toBe("application_key_invalid");
    expect((await authrep(sim, { app_id: "app1", app_key: "key1" }, options)).headers["3scale-rejection-reason"]).toBeUndefined();
    expect((await authrep(sim, { app_id: "boo" }, options)).headers["3scale-rejection-reason"]).toBeUndefined();
    expect((await authrep(sim, { app_id: "app1", app_key: "no" })).headers["3scale-rejection-reason"]).toBeUndefined();
  });
});

describe("limit_headers", () => {
  it("worked example 1: day 100 + hour 100, authrep hits=10 -> remaining 9 until midnight, max 100", async () => {
    const sim = await limited([{ metric: "hits", period: "day", max: 100 }, { metric: "hits", period: "hour", max: 100 }], "2024-05-15T10:31:00Z");
    const answer = await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "10" }, "limit_headers=1");
    expect(answer.status).toBe(200);
    expect(limitHeaders(answer.headers)).toEqual({
      "3scale-limit-remaining": "9", "3scale-limit-reset": String(13 * 3600 + 29 * 60), "3scale-limit-max-value": "100",
    });
  });

  it("worked example 2: hour limit 10, hits=11 at 22:59:59 -> denied, remaining 0, reset 1, max 10", async () => {
    const sim = await limited([{ metric: "hits", period: "hour", max: 10 }], "2024-05-15T22:59:59Z");
    const answer = await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "11" }, "limit_headers=1");
    expect(answer.status).toBe(409);
    expect(limitHeaders(answer.headers)).toEqual({
      "3scale-limit-remaining": "0", "3scale-limit-reset": "1", "3scale-limit-max-value": "10",
    });
  });

  it("count a child's usage against its parent's limits, and only this authrep's usage when authorized", async () => {
    const sim = await limited([{ metric: "hits", period: "minute", max: 20 }], "2024-05-15T10:31:30Z");
    const rep = await authrep(sim, { app_id: "app1", app_key: "key1", "usage[products]": "2", "usage[hits]": "1" }, "limit_headers=1");
    expect(limitHeaders(rep.headers)).toMatchObject({ "3scale-limit-remaining": "5", "3scale-limit-reset": "30" }); // (20-3)/3
    const auth = await authorizeCall(sim, { app_id: "app1", app_key: "key1", "usage[products]": "2" }, "limit_headers=1");
    expect(limitHeaders(auth.headers)).toMatchObject({ "3scale-limit-remaining": "8" }); // (20-3)/2, nothing added
  });

  it("are -1/-1 without max value when no limit applies, and reset -1 for eternity", async () => {
    const none = await limited([{ metric: "orders", period: "day", max: 5 }], "2024-05-15T10:31:00Z");
    const unrelated = await authrep(none, { app_id: "app1", app_key: "key1", "usage[products]": "1" }, "limit_headers=1");
    expect(limitHeaders(unrelated.headers)).toEqual({ "3scale-limit-remaining": "-1", "3scale-limit-reset": "-1" });
    const eternal = await limited([{ metric: "hits", period: "eternity", max: 5 }], "2024-05-15T10:31:00Z");
    const answer = await authrep(eternal, { app_id: "app1", app_key: "key1", "usage[hits]": "1" }, "limit_headers=1");
    expect(limitHeaders(answer.headers)).toEqual({ "3scale-limit-remaining": "4", "3scale-limit-reset": "-1", "3scale-limit-max-value": "5" });
  });

  it("reproduce the asymmetric scan: with an empty usage the outcome depends on limit order", async () => {
    const setup = async (dayMax: number, hourMax: number) => {
      const sim = await limited([{ metric: "hits", period: "day", max: dayMax }, { metric: "hits", period: "hour", max: hourMax }], "2024-05-15T10:31:00Z");
      await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "10" });
      return limitHeaders((await authrep(sim, { app_id: "app1", app_key: "key1" }, "limit_headers=1")).headers);
    };
    // day exhausted (0) is scanned first, then the unlimited hour (-1) replaces it
    expect(await setup(10, 20)).toEqual({ "3scale-limit-remaining": "-1", "3scale-limit-reset": "-1" });
    // the unlimited day is scanned first, then the exhausted hour replaces it
    expect(await setup(20, 10)).toEqual({ "3scale-limit-remaining": "0", "3scale-limit-reset": "1740", "3scale-limit-max-value": "10" });
  });

  it("are absent on other denials, on errors, and when not requested", async () => {
    const sim = await limited([{ metric: "hits", period: "day", max: 5 }], "2024-05-15T10:31:00Z");
    expect(limitHeaders((await authrep(sim, { app_id: "app1", app_key: "no" }, "limit_headers=1")).headers)).toEqual({});
    expect(limitHeaders((await authrep(sim, { app_id: "boo" }, "limit_headers=1")).headers)).toEqual({});
    expect(limitHeaders((await authrep(sim, { app_id: "app1", app_key: "key1" })).headers)).toEqual({});
  });
});

describe("hierarchy and list_app_keys", () => {
  it("add a <hierarchy> entry per usage report and an <app_keys> section", async () => {
    const sim = await simulator({
      services: [appIdService({
        plans: [{ name: "Basic", limits: [{ metric: "hits", period: "day", max: 9 }, { metric: "hits", period: "hour", max: 9 }, { metric: "products", period: "day", max: 9 }] }],
        applications: [{ id: "app1", keys: ["key1", "key2"] }],
      })],
    });
    const body = (await authrep(sim, { app_id: "app1", app_key: "key1" }, "hierarchy=1&list_app_keys=1")).body;
    expect(body).toContain('</usage_reports><app_keys app="app1" svc="7"><key id="key1"/><key id="key2"/></app_keys>' +
      '<hierarchy><metric name="hits" children="products orders"/><metric name="hits" children="products orders"/>' +
      '<metric name="products" children=""/></hierarchy></status>');
    expect((await authrep(sim, { app_id: "app1", app_key: "key1" })).body).not.toMatch(/<hierarchy>|<app_keys/);
  });
});
