// A.10: response bodies.
import { describe, expect, it } from "vitest";
import { appIdService, authorizeCall, authrep, request, simulator } from "./support";

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';

async function withUsage(limits: { metric: string; period: "minute" | "day" | "eternity"; max: number }[], hits: number, now: string) {
  const sim = await simulator({ services: [appIdService({ plans: [{ name: "Basic", limits }] })] }, { now });
  if (hits > 0) {
    await request(sim, "POST", "/transactions.xml", {
      body: `service_token=tok-7&service_id=7&transactions[0][app_id]=app1&transactions[0][usage][hits]=${hits}`,
    });
  }
  return sim;
}

describe("status bodies", () => {
  it("match the authorized example", async () => {
    const sim = await withUsage([{ metric: "hits", period: "day", max: 100 }], 2, "2024-05-15T10:31:00Z");
    const expected = `${PROLOG}<status><authorized>true</authorized><plan>Basic</plan><usage_reports>` +
      '<usage_report metric="hits" period="day"><period_start>2024-05-15 00:00:00 +0000</period_start>' +
      "<period_end>2024-05-16 00:00:00 +0000</period_end><max_value>100</max_value><current_value>3</current_value>" +
      "</usage_report></usage_reports></status>";
    // authrep shows the stored 2 plus its own 1; authorize afterwards shows the stored 3
    expect((await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "1" })).body).toBe(expected);
    expect((await authorizeCall(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "1" })).body).toBe(expected);
  });

  it("match the limits-exceeded example, showing the stored value", async () => {
    const sim = await withUsage([{ metric: "hits", period: "minute", max: 5 }], 5, "2024-05-15T10:31:20Z");
    const answer = await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "1" });
    expect(answer.status).toBe(409);
    expect(answer.body).toBe(`${PROLOG}<status><authorized>false</authorized><reason>usage limits are exceeded</reason>` +
      '<plan>Basic</plan><usage_reports><usage_report metric="hits" period="minute">' +
      "<period_start>2024-05-15 10:31:00 +0000</period_start><period_end>2024-05-15 10:32:00 +0000</period_end>" +
      "<max_value>5</max_value><current_value>5</current_value></usage_report></usage_reports></status>");
  });

  it("mark reports whose stored counter is above the limit as exceeded, and omit eternity's period", async () => {
    const sim = await withUsage([{ metric: "hits", period: "eternity", max: 5 }], 6, "2024-05-15T10:31:00Z");
    expect((await authorizeCall(sim, { app_id: "app1", app_key: "key1" })).body).toContain(
      '<usage_report metric="hits" period="eternity" exceeded="true"><max_value>5</max_value><current_value>6</current_value></usage_report>');
  });

  it("order reports by metric, then from the longest period, and skip deleted metrics", async () => {
    const sim = await withUsage([
      { metric: "hits", period: "minute", max: 1 }, { metric: "hits", period: "eternity", max: 1 },
      { metric: "hits", period: "day", max: 1 }, { metric: "products", period: "day", max: 1 }, { metric: "orders", period: "day", max: 1 },
    ], 0, "2024-05-15T10:31:00Z");
    const service = sim.state.requireService("7");
    service.metrics.splice(service.metrics.findIndex((m) => m.name === "products"), 1);
    const body = (await authorizeCall(sim, { app_id: "app1", app_key: "key1" })).body;
    expect([...body.matchAll(/metric="(\w+)" period="(\w+)"/g)].map((m) => `${m[1]}/${m[2]}`))
      .toEqual(["hits/eternity", "hits/day", "hits/minute", "orders/day"]);
  });

  it("omit <usage_reports> for applications without limits", async () => {
    const sim = await simulator();
    expect((await authrep(sim, { app_id: "app1", app_key: "key1" })).body)
      .toBe(`${PROLOG}<status><authorized>true</authorized><plan>Basic</plan></status>`);
  });

  it("escape the plan name but insert the reason text verbatim", async () => {
    const sim = await simulator({ services: [appIdService({ plans: [{ name: "Gold & <Co>" }] })] });
    const body = (await authrep(sim, { app_id: "app1", app_key: "a<b>" })).body;
    expect(body).toBe(`${PROLOG}<status><authorized>false</authorized><reason>application key "a<b>" is invalid</reason>` +
      "<plan>Gold &amp; &lt;Co&gt;</plan></status>");
  });
});

describe("error bodies", () => {
  it("match the example and escape the message", async () => {
    const sim = await simulator();
    expect((await authrep(sim, { app_id: "boo" })).body)
      .toBe(`${PROLOG}<error code="application_not_found">application with id="boo" was not found</error>`);
    expect((await authrep(sim, { app_id: "<b%26>" })).body)
      .toBe(`${PROLOG}<error code="application_not_found">application with id="&lt;b&amp;&gt;" was not found</error>`);
  });
});
