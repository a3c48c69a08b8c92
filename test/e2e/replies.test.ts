// Configured replies and rate-limit headers in a real Envoy (--concurrency 2) against the 3scale
// simulator: a 401 with its own body and content type, X-RateLimit-* on allowed requests, and a
// 429 with Retry-After once the Trial plan's 3 hits a minute are used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, service } from "../support/configs";
import { envoyBin, send, SERVICE_ID, SERVICE_TOKEN, startStack, type Stack } from "./support";

const MISSING = { status: 401, content_type: "application/json", body: "{\"error\":\"credentials missing\"}" };
const products = {
  ...service({ id: SERVICE_ID, token: SERVICE_TOKEN, authorities: ["*.example.com"], mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }] }),
  replies: { auth_missing: MISSING },
  rate_limit_headers: true,
};

describe.skipIf(!envoyBin)("configured replies in real Envoy", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack(config([products]));
    s.simulator.setNow("2024-05-15T10:00:30Z"); // 30 s before the minute ends, every time
  });
  afterAll(async () => { await s?.stop(); });

  it("answers missing credentials with the configured status, content type and body", async () => {
    const r = await send(s.envoy, "/", { host: "api.example.com" });
    expect([r.status, r.headers["content-type"], r.body]).toEqual([401, "application/json", MISSING.body]);
  });

  it("passes the limit headers on, then answers 429 with Retry-After", async () => {
    const seen: unknown[][] = [];
    for (let i = 0; i < 4; i++) {
      const { status, headers: h } = await send(s.envoy, "/", { host: "api.example.com", user_key: "uk-trial" });
      seen.push([status, h["x-ratelimit-limit"], h["x-ratelimit-remaining"], h["x-ratelimit-reset"], h["retry-after"]]);
    }
    const options = s.simulator.requests.filter((q) => q.pathname === "/transactions/authrep.xml").map((q) => q.headers["3scale-options"]);
    expect(new Set(options)).toEqual(new Set(["no_body=1&rejection_reason_header=1&limit_headers=1"]));
    expect(seen).toEqual([
      [200, "3", "2", "30", undefined],
      [200, "3", "1", "30", undefined],
      [200, "3", "0", "30", undefined],
      [429, "3", "0", "30", "30"],
    ]);
  });
});
