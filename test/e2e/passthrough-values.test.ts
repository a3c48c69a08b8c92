// Pass-through mode in a real Envoy (--concurrency 2): a credential with a line feed, carriage
// return or NUL (percent-encoded in the query) would be a request header Envoy refuses (the
// client got a 503 for a request counted as allowed); the module answers 403 itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, service } from "../support/configs";
import { envoyBin, failures, send, SERVICE_ID, SERVICE_TOKEN, startStack, type Stack } from "./support";

const passthrough = service({
  id: SERVICE_ID, token: SERVICE_TOKEN, authorities: ["*"],
  credentials: { user_key: [{ query_string: { keys: ["user_key"] } }] },
  mapping_rules: [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }],
});

describe.skipIf(!envoyBin)("pass-through values in real Envoy", () => {
  let s: Stack;
  beforeAll(async () => { s = await startStack(config([passthrough], { passthrough_metadata: true })); });
  afterAll(async () => { await s?.stop(); });

  it("forwards a plain user key upstream", async () => {
    const r = await send(s.envoy, "/?user_key=uk-1", { host: "api.example.com" });
    expect(r.status).toBe(200);
  });

  it.each(["%0A", "%0D", "%00", "%0D%0Ax-injected:%201"])("answers a user key with %s 403 Authentication failed", async (encoded) => {
    const r = await send(s.envoy, `/?user_key=uk${encoded}`, { host: "api.example.com" });
    expect([r.status, r.body]).toEqual([403, "Authentication failed\n"]);
  });

  it("never traps", () => {
    expect(failures(s.envoy)).toEqual([]);
  });
});
