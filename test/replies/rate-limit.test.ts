// `rate_limit_headers` (docs/configuration.md §7.2, docs/decision.md §4, docs/backend-protocol.md §2): the authrep call asks
// for limit headers; the client gets X-RateLimit-* on allowed requests and on the 429, with
// Retry-After on the 429, only when reset > 0; a disabled metric is answered as auth_failed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Header } from "../../tools/host/types";
import { config, service } from "../support/configs";
import { authrepCall, get, header, plugin, type Plugin } from "../support/module";

const LIMITS: Header[] = [["3scale-limit-max-value", "100"], ["3scale-limit-remaining", "9"], ["3scale-limit-reset", "3600"]];
const DENIAL: Header[] = [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-max-value", "10"], ["3scale-limit-remaining", "0"], ["3scale-limit-reset", "59"]];
const CLIENT_LIMITS: Header[] = [["x-ratelimit-limit", "100"], ["x-ratelimit-remaining", "9"], ["x-ratelimit-reset", "3600"]];

const rateLimited = (p: Header[]) => p.filter(([k]) => k.startsWith("x-ratelimit-") || k === "retry-after");

describe("rate_limit_headers on", () => {
  let p: Plugin;
  beforeAll(async () => { p = await plugin(config([{ ...service(), rate_limit_headers: true, replies: { auth_failed: { status: 401 } } }])); });
  afterAll(async () => { await p.close(); });

  it("asks for limit headers and passes them on to the client of an allowed request", async () => {
    p.answer = { status: 200, headers: LIMITS };
    const r = await get(p, "/?user_key=k");
    expect(header(authrepCall(r)!, "3scale-options")).toBe("no_body=1&rejection_reason_header=1&limit_headers=1");
    expect(r.outcome).toBe("continue");
    expect(rateLimited(r.responseHeaders!)).toEqual(CLIENT_LIMITS);
    expect(r.responseHeaders).toContainEqual(["powered-by", "3scale"]);
  });

  it("answers 429 with the limit headers and Retry-After", async () => {
    p.answer = { status: 409, headers: DENIAL };
    const r = await get(p, "/?user_key=k");
    expect([r.status, r.body]).toEqual([429, "Usage limit exceeded\n"]);
    expect(r.replyHeaders).toEqual([["x-ratelimit-limit", "10"], ["x-ratelimit-remaining", "0"], ["x-ratelimit-reset", "59"], ["retry-after", "59"]]);
  });

  it.each<[string, Header[]]>([
    ["unlimited (-1)", [["3scale-limit-remaining", "-1"], ["3scale-limit-reset", "-1"]]],
    ["an eternity limit", [["3scale-limit-max-value", "5"], ["3scale-limit-remaining", "2"], ["3scale-limit-reset", "-1"]]],
    ["no limit headers", []],
    ["a reset that is not a number", [["3scale-limit-max-value", "5"], ["3scale-limit-remaining", "2"], ["3scale-limit-reset", "soon"]]],
  ])("adds nothing for %s", async (_, headers) => {
    p.answer = { status: 200, headers };
    expect(rateLimited((await get(p, "/?user_key=k")).responseHeaders!)).toEqual([]);
    p.answer = { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"], ...headers] };
    const denied = await get(p, "/?user_key=k");
    expect([denied.status, denied.replyHeaders]).toEqual([429, []]);
  });

  it("reports a negative remaining count as 0", async () => {
    p.answer = { status: 200, headers: [["3scale-limit-max-value", "5"], ["3scale-limit-remaining", "-3"], ["3scale-limit-reset", "7"]] };
    expect(rateLimited((await get(p, "/?user_key=k")).responseHeaders!)).toEqual([["x-ratelimit-limit", "5"], ["x-ratelimit-remaining", "0"], ["x-ratelimit-reset", "7"]]);
  });

  it("answers a disabled metric (max value 0) as auth_failed", async () => {
    p.answer = { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-max-value", "0"], ["3scale-limit-remaining", "0"], ["3scale-limit-reset", "30"]] };
    const r = await get(p, "/?user_key=k");
    expect([r.status, r.body, r.details, r.replyHeaders]).toEqual([401, "Authentication failed\n", "authrep_denied_409", []]);
  });
});

describe("rate_limit_headers off (the default, the reference's behaviour)", () => {
  let p: Plugin;
  beforeAll(async () => { p = await plugin(config()); });
  afterAll(async () => { await p.close(); });

  it("neither asks for nor passes on limit headers", async () => {
    p.answer = { status: 200, headers: LIMITS };
    const r = await get(p, "/?user_key=k");
    expect(header(authrepCall(r)!, "3scale-options")).toBe("no_body=1&rejection_reason_header=1");
    expect(rateLimited(r.responseHeaders!)).toEqual([]);
  });

  it("answers 429 without them, also for a disabled metric", async () => {
    for (const max of ["10", "0"]) {
      p.answer = { status: 409, headers: [...DENIAL.filter(([k]) => k !== "3scale-limit-max-value"), ["3scale-limit-max-value", max]] };
      const r = await get(p, "/?user_key=k");
      expect([r.status, r.body, r.replyHeaders]).toEqual([429, "Usage limit exceeded\n", []]);
    }
  });
});
