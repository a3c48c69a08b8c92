// A.12: POST /transactions.xml records batches without checking limits, all or nothing.
import { describe, expect, it } from "vitest";
import { appIdService, errorOf, PROVIDER_KEY, request, simulator } from "./support";

const NOW = "2024-05-15T10:31:00Z";
const AUTH = "service_token=tok-7&service_id=7";

async function reportSim() {
  return simulator({
    services: [appIdService({
      plans: [{ name: "Basic", limits: [{ metric: "hits", period: "minute", max: 1 }] }],
      applications: [{ id: "app1", keys: ["key1"] }, { id: "app2", userKey: "uk2" }],
    })],
  }, { now: NOW });
}

const post = (sim: Awaited<ReturnType<typeof reportSim>>, body: string, headers: Record<string, string> = {}) =>
  request(sim, "POST", "/transactions.xml", { body, headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers } });

describe("report", () => {
  it("answers 202 with an empty body and records every transaction, with hierarchy and no limit check", async () => {
    const sim = await reportSim();
    const answer = await post(sim, `${AUTH}&transactions[0][app_id]=app1&transactions[0][usage][products]=3` +
      "&transactions[1][user_key]=uk2&transactions[1][usage][hits]=2&transactions[1][log][code]=200");
    expect([answer.status, answer.body]).toEqual([202, ""]);
    expect([sim.usage("7", "app1", "products"), sim.usage("7", "app1", "hits"), sim.usage("7", "uk2", "hits")]).toEqual([3, 3, 2]);
    expect(sim.reportErrors).toEqual([]);
  });

  it("records a transaction in the period instances of its timestamp", async () => {
    const sim = await reportSim();
    await post(sim, `${AUTH}&transactions[0][app_id]=app1&transactions[0][usage][hits]=4&transactions[0][timestamp]=2024-05-15+09:10:00+%2B0000`);
    expect([sim.usage("7", "app1", "hits", "hour"), sim.usage("7", "app1", "hits", "day")]).toEqual([0, 4]);
    sim.setNow("2024-05-15T09:59:00Z");
    expect(sim.usage("7", "app1", "hits", "hour")).toBe(4);
  });

  it("discards the whole batch when one transaction is bad, and keeps the problem to itself (202 all the same)", async () => {
    const good = "&transactions[0][app_id]=app1&transactions[0][usage][hits]=1&transactions[1][user_key]=uk2&transactions[1][usage][hits]=2";
    const bad: [string, string][] = [
      ["transactions[2][app_id]=boo&transactions[2][usage][hits]=1", "application_not_found"],
      ["transactions[2][user_key]=boo&transactions[2][usage][hits]=1", "user_key_invalid"],
      ["transactions[2][app_id]=app1&transactions[2][user_key]=uk2&transactions[2][usage][hits]=1", "authentication_error"],
      ["transactions[2][app_id]=app1&transactions[2][usage][nope]=1", "metric_invalid"],
      ["transactions[2][app_id]=app1&transactions[2][usage][hits]=x", "usage_value_invalid"],
      ["transactions[2][app_id]=app1&transactions[2][usage][hits]=1&transactions[2][timestamp]=2024-05-14T10:30:00Z", "transaction_timestamp_too_old"],
      ["transactions[2][app_id]=app1&transactions[2][usage][hits]=1&transactions[2][timestamp]=2024-05-15T11:32:00Z", "transaction_timestamp_too_new"],
    ];
    for (const [transaction, code] of bad) {
      const sim = await reportSim();
      const answer = await post(sim, `${AUTH}${good}&${transaction}`);
      expect(answer.status).toBe(202);
      expect(sim.reportErrors.map((e) => [e.transaction, e.code])).toEqual([["2", code]]);
      expect(sim.totalUsage("hits")).toBe(0);
    }
  });

  it("drops transactions whose usage is only \"0\" before checking them", async () => {
    const sim = await reportSim();
    await post(sim, `${AUTH}&transactions[0][app_id]=app1&transactions[0][usage][hits]=1&transactions[1][app_id]=boo&transactions[1][usage][nope]=0`);
    expect([sim.totalUsage("hits"), sim.reportErrors]).toEqual([1, []]);
  });

  it("accepts no content type and multipart, and merges query-string credentials", async () => {
    const sim = await reportSim();
    await request(sim, "POST", `/transactions.xml?provider_key=${PROVIDER_KEY}`, { body: "transactions[0][app_id]=app1&transactions[0][usage][hits]=1" });
    const boundary = "XyZ";
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const multipart = part("service_token", "tok-7") + part("service_id", "7") + part("transactions[0][app_id]", "app1") +
      part("transactions[0][usage][hits]", "2") + `--${boundary}--\r\n`;
    const answer = await request(sim, "POST", "/transactions.xml", {
      body: multipart, headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    });
    expect(answer.status).toBe(202);
    expect(sim.usage("7", "app1", "hits")).toBe(3);
  });

  it("rejects other content types with 400 content_type_invalid", async () => {
    const answer = await post(await reportSim(), "{}", { "Content-Type": "application/json" });
    expect([answer.status, errorOf(answer)]).toEqual([400, { code: "content_type_invalid", message: "invalid Content-Type: application/json" }]);
  });

  it("rejects blank, malformed and nil transactions and end users with 400", async () => {
    const sim = await reportSim();
    const codes: unknown[] = [];
    for (const body of [AUTH, `${AUTH}&transactions=`, `${AUTH}&transactions=x`, `${AUTH}&transactions[]=x`,
      `${AUTH}&transactions[0]=`, `${AUTH}&transactions[0][app_id]=app1&transactions[1][user_id]=u`]) {
      const answer = await post(sim, body);
      codes.push([answer.status, errorOf(answer)?.code]);
    }
    expect(codes).toEqual([
      [400, "transactions_is_blank"], [400, "transactions_is_blank"], [400, "transactions_format_invalid"],
      [400, "transactions_format_invalid"], [400, "transactions_has_nil_transaction"], [400, "end_users_no_longer_supported"],
    ]);
    expect(sim.totalUsage("hits")).toBe(0);
  });

  it("is only a POST: GET is an unknown route", async () => {
    const answer = await request(await reportSim(), "GET", `/transactions.xml?${AUTH}`);
    expect([answer.status, answer.body]).toEqual([404, ""]);
  });
});
