// backend.limits against Apisonator through real Envoy: Apisonator (puma) refuses a query above
// 10,240 bytes — and on a reused connection never answers it, so under failure_policy `open` an
// oversized credential used to reach the upstream after the call's timeout. Now it is denied at
// once without a backend call, while credentials and queries at the caps work end to end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moduleStats, type RunningEnvoy, startEnvoy } from "../../tools/envoy/envoy";
import { provisionSeed } from "../../tools/apisonator/provision";
import type { Seed } from "../../tools/simulator/seed";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { envoyBin, send, wasmFile } from "../e2e/support";
import { apisonatorSource, rawCall, settled, useApisonator } from "./support";

const UK = "7301";
const APP = "7302";
/** the default credential cap: the largest credential sent */
const AT_CAP = 1024;
const keyOf = (n: number) => "k".repeat(n - 4) + "-end";
/** usage is read through a limit: one that is never reached */
const plans = [{ name: "Basic", limits: [{ metric: "hits", period: "eternity" as const, max: 1_000_000_000 }] }];
const seed: Seed = {
  services: [
    {
      id: UK, providerKey: "pk-lim", mode: "1", tokens: ["tok-lim"], plans,
      applications: [{ id: "at-cap", userKey: keyOf(AT_CAP) }, { id: "under-cap", userKey: keyOf(AT_CAP - 1) }],
    },
    {
      id: APP, providerKey: "pk-lim", mode: "2", tokens: ["tok-app"], plans,
      applications: [{ id: "i".repeat(AT_CAP), keys: ["a".repeat(AT_CAP)] }],
    },
  ],
};
const hits = [{ method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] }];
/** the authrep query of a user_key request of UK, as the module builds it */
const queryOf = (userKey: string) => `service_id=${UK}&service_token=tok-lim&user_key=${userKey}&usage[hits]=1`;

describe.skipIf(!envoyBin || !apisonatorSource)("backend.limits against Apisonator", () => {
  const b = useApisonator();
  let upstream: Upstream;
  const envoys: RunningEnvoy[] = [];

  async function envoyWith(limits: object | undefined, name: string): Promise<RunningEnvoy> {
    const plugin = {
      ...config([
        service({ id: UK, token: "tok-lim", authorities: ["uk.test"], mapping_rules: hits }),
        service({ id: APP, token: "tok-app", authorities: ["app.test"], mapping_rules: hits }),
      ], { failure_policy: { mode: "open" } }),
      backend: { name: "backend", upstream: { name: BACKEND_CLUSTER, url: "http://localhost/", timeout: 5000 }, ...(limits && { limits }) },
    };
    const envoy = await startEnvoy({
      bin: envoyBin!,
      bootstrap: { appPort: upstream.port, clusters: { [BACKEND_CLUSTER]: b.apisonator.port }, wasm: { wasmFile, configuration: JSON.stringify(plugin), name } },
    });
    envoys.push(envoy);
    return envoy;
  }

  beforeAll(async () => {
    await provisionSeed(b.internal, seed);
    upstream = await startUpstream();
  }, 200_000);
  afterAll(async () => {
    for (const e of envoys) await e.stop();
    await upstream?.stop();
  });

  it("Apisonator answers a query of 10,240 bytes and refuses 10,241 (the bound the defaults stay under)", async () => {
    const padded = (n: number) => { const base = queryOf("nope") + "&pad="; return base + "p".repeat(n - base.length); };
    const at = await rawCall(b.apisonator.url, "GET", `/transactions/authrep.xml?${padded(10_240)}`, { host: "localhost" });
    const over = await rawCall(b.apisonator.url, "GET", `/transactions/authrep.xml?${padded(10_241)}`, { host: "localhost" });
    expect([at.status, at.body]).toEqual([403, expect.stringContaining("user_key_invalid")]);
    expect(over.status).toBe(400);
  });

  it("default caps, failure_policy open: an 11,000-character user_key is denied at once, never sent; credentials at the cap are allowed", async () => {
    const envoy = await envoyWith(undefined, "apisonator.limits");
    const before = await moduleStats(envoy);
    const started = performance.now();
    const huge = await send(envoy, `/?user_key=${"u".repeat(11_000)}`, { host: "uk.test" });
    const elapsed = performance.now() - started;
    expect([huge.status, huge.body]).toEqual([403, "Authentication failed\n"]);
    expect(elapsed, "answered locally, not after the 5 s call timeout").toBeLessThan(4000);
    const after = await moduleStats(envoy);
    expect(after["backend.calls"]).toBe(before["backend.calls"]);
    expect(after["requests.denied.credentials_too_large"] - before["requests.denied.credentials_too_large"]).toBe(1);
    expect(after["failure_policy.opened"]).toBe(before["failure_policy.opened"]);

    expect((await send(envoy, `/?user_key=${keyOf(AT_CAP)}`, { host: "uk.test" })).status).toBe(200);
    expect((await send(envoy, "/", { host: "app.test", "x-app-id": "i".repeat(AT_CAP), "x-app-key": "a".repeat(AT_CAP) })).status).toBe(200);
    // one byte over the cap: refused locally, whatever the backend would say
    expect((await send(envoy, `/?user_key=${keyOf(AT_CAP + 1)}`, { host: "uk.test" })).status).toBe(403);
    const counted = await settled(() => Promise.all([
      b.internal.usage(UK, { userKey: keyOf(AT_CAP) }, "hits"), b.internal.usage(APP, { appId: "i".repeat(AT_CAP) }, "hits"),
    ]));
    expect(counted).toEqual([1, 1]);
    expect((await moduleStats(envoy))["backend.calls"] - before["backend.calls"]).toBe(2);
  });

  it("max_query_bytes: a query at the cap is allowed, one byte over is denied without a call", async () => {
    const cap = queryOf(keyOf(AT_CAP - 1)).length;
    const envoy = await envoyWith({ max_query_bytes: cap }, "apisonator.query-cap");
    const before = await moduleStats(envoy);
    expect((await send(envoy, `/?user_key=${keyOf(AT_CAP - 1)}`, { host: "uk.test" })).status).toBe(200);
    const over = await send(envoy, `/?user_key=${keyOf(AT_CAP)}`, { host: "uk.test" });
    expect([over.status, over.body]).toEqual([403, "Authentication failed\n"]);
    const after = await moduleStats(envoy);
    expect([after["backend.calls"] - before["backend.calls"], after["requests.denied.query_too_large"] - before["requests.denied.query_too_large"]]).toEqual([1, 1]);
    expect(await settled(() => b.internal.usage(UK, { userKey: keyOf(AT_CAP - 1) }, "hits"))).toBe(1);
  });
});
