// Replies from the fetched proxy config's `error_*` fields (docs/backend-protocol.md §4.1), spread to both
// workers, and their precedence: static `replies` win over fetched ones, field by field.
import { afterEach, describe, expect, it } from "vitest";
import type { RequestResult } from "../../tools/host/types";
import { service } from "../support/configs";
import { requestHeaders } from "../support/module";
import { advance, document, FETCHED_RULE, FETCHED_TOKEN, ok, portal, SPREAD_MS, systemConfig, type Portal } from "../system/support";

const ID = "2555417900001";
const PORTA_TYPE = "text/plain; charset=us-ascii";
/** the error fields as Porta writes them (APIcast's defaults, no trailing line feed) */
const PORTA_ERRORS = {
  error_status_auth_failed: 403, error_headers_auth_failed: PORTA_TYPE, error_auth_failed: "Authentication failed",
  error_status_auth_missing: 401, error_headers_auth_missing: PORTA_TYPE, error_auth_missing: "Authentication parameters missing",
  error_status_no_match: 404, error_headers_no_match: PORTA_TYPE, error_no_match: "No Mapping Rule matched",
  error_status_limits_exceeded: 429, error_headers_limits_exceeded: PORTA_TYPE,
};

let p: Portal | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

/** document() with `errors` added to content.proxy */
function withErrors(errors: Record<string, unknown>) {
  const doc = document(FETCHED_TOKEN, [FETCHED_RULE]) as { proxy_config: { content: { proxy: Record<string, unknown> } } };
  Object.assign(doc.proxy_config.content.proxy, errors);
  return ok(doc);
}

async function missing(worker: number): Promise<{ status?: number; body?: string; type?: string }> {
  const r: RequestResult = await p!.host.request({ headers: requestHeaders("/products/1"), worker });
  return { status: r.status, body: r.body, type: r.replyHeaders?.find(([k]) => k === "content-type")?.[1] };
}

describe("fetched replies", () => {
  it("apply on both workers once the document arrived", async () => {
    p = await portal(systemConfig(), [[ID, withErrors(PORTA_ERRORS)]]);
    expect(await missing(0)).toEqual({ status: 403, body: "Authentication parameters missing\n", type: undefined });
    await advance(p, SPREAD_MS);
    for (const worker of [0, 1]) {
      expect(await missing(worker)).toEqual({ status: 401, body: "Authentication parameters missing", type: PORTA_TYPE });
    }
  });

  it("an absent or null field keeps the reference's value (error_limits_exceeded is missing in older documents)", async () => {
    p = await portal(systemConfig(), [[ID, withErrors({ error_status_auth_missing: null, error_auth_missing: "who are you?" })]]);
    await advance(p, SPREAD_MS);
    expect(await missing(1)).toEqual({ status: 403, body: "who are you?", type: undefined });
  });

  it("static replies win field by field", async () => {
    const replies = { auth_missing: { status: 407, body: "static body" } };
    p = await portal(systemConfig({ services: [{ ...service(), replies }] }), [[ID, withErrors(PORTA_ERRORS)]]);
    expect(await missing(0)).toEqual({ status: 407, body: "static body", type: undefined });
    await advance(p, SPREAD_MS);
    for (const worker of [0, 1]) expect(await missing(worker)).toEqual({ status: 407, body: "static body", type: PORTA_TYPE });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a status out of range", { error_status_auth_missing: 1000 }, "proxy_config.content.proxy.error_status_auth_missing: expected an integer between 200 and 599"],
    ["a content type that is not a string", { error_headers_no_match: ["text/plain"] }, "proxy_config.content.proxy.error_headers_no_match: expected a string, found list"],
    ["a body that is not a string", { error_auth_failed: 1 }, "proxy_config.content.proxy.error_auth_failed: expected a string"],
  ])("a document with %s is rejected; the last good configuration stays", async (_, errors, message) => {
    p = await portal(systemConfig(), [[ID, withErrors(errors)]]);
    await advance(p, SPREAD_MS);
    expect(p.warnings().some((w) => w.includes(message))).toBe(true);
    expect(await p.authrep("/fetched/1?user_key=k", 1)).toMatchObject({ service_token: "st-6e2d" });
  });
});
