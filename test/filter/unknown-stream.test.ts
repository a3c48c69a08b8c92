// A stream callback for a context id the module never created (Envoy skipped or lost the
// context creation, or the plugin's root is unknown): the module cannot check it, so it denies
// it; continuing would let an unchecked request through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../support/configs";
import { type Plugin, plugin, requestHeaders } from "../support/module";

let p: Plugin;
beforeAll(async () => { p = await plugin(config()); });
afterAll(async () => { await p.close(); });

describe("a stream the module does not know", () => {
  it("is answered 403 Authentication failed, with no backend call, and counted as denied", async () => {
    const denied = () => p.host.metric("authrep_wasm.requests.denied.other")?.value ?? 0;
    const before = denied();
    const r = await p.host.request({ headers: requestHeaders("/?user_key=valid"), unknownToModule: true });
    expect([r.outcome, r.status, r.body, r.details]).toEqual(["local_reply", 403, "Authentication failed\n", "authrep_unknown_stream"]);
    expect(r.httpCalls).toHaveLength(0);
    expect(denied() - before).toBe(1);
    expect(p.host.instances[0].failed).toBe(false);
  });

  it("leaves the streams the module knows alone", async () => {
    await p.host.request({ headers: requestHeaders("/"), unknownToModule: true });
    const r = await p.host.request({ headers: requestHeaders("/?user_key=valid") });
    expect([r.outcome, r.status]).toEqual(["continue", 200]);
  });
});
