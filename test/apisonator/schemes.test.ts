// The credential paths of the api-key, basic-auth and oidc-jwt examples (their envoy.yaml, real
// Envoy) against Apisonator provisioned with examples/simulator-seed.json: allowed, denied and
// missing credentials, and the usage Apisonator recorded for the allowed ones.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEnvoy, startEnvoy } from "../../tools/envoy/envoy";
import type { AppRef } from "../../tools/apisonator/internal";
import { metricId, provisionSeed } from "../../tools/apisonator/provision";
import type { Seed } from "../../tools/simulator/seed";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { envoyBin, send, wasmFile } from "../e2e/support";
import { examplesDir, renderEnvoyYaml } from "../support/examples";
import { bearer, claims, newKey, signJwt, startJwksServer, type JwksServer } from "../support/jwt";
import { apisonatorSource, settled, useApisonator } from "./support";

const seed = JSON.parse(readFileSync(resolve(examplesDir, "simulator-seed.json"), "utf8")) as Seed;
const KEY = "op:en~~~se???";
const basic = (userPass: string) => ({ authorization: `Basic ${Buffer.from(userPass).toString("base64")}` });
const signing = newKey("k1");

describe.skipIf(!envoyBin || !apisonatorSource)("example credential paths in real Envoy against Apisonator", () => {
  const b = useApisonator();
  let upstream: Upstream;
  let jwks: JwksServer;
  const envoys = new Map<string, RunningEnvoy>();

  beforeAll(async () => {
    await provisionSeed(b.internal, seed);
    // an eternity limit never reached on hits makes each application's usage readable
    for (const s of seed.services) {
      for (const plan of new Set((s.applications ?? []).map((a) => a.plan ?? s.plans?.[0]?.name ?? "Default"))) {
        await b.internal.setUsageLimit(s.id, plan, metricId(0), "eternity", 1_000_000_000);
      }
    }
    upstream = await startUpstream();
    jwks = await startJwksServer([signing]);
    for (const example of ["api-key", "basic-auth", "oidc-jwt"]) {
      const rendered = renderEnvoyYaml(example, {
        LISTENER_PORT: 0, ADMIN_PORT: 0, APP_PORT: upstream.port, BACKEND_PORT: b.apisonator.port, JWKS_PORT: jwks.port, WASM_FILE: wasmFile,
      });
      // the kit's Apisonator (development mode) refuses a Host that is not local (see tools/apisonator/README.md)
      const standalone = JSON.parse(JSON.stringify(rendered).replaceAll("https://su1.3scale.net/", "http://localhost/"));
      envoys.set(example, await startEnvoy({ bin: envoyBin!, bootstrap: { appPort: upstream.port, standalone } }));
    }
  }, 200_000);
  afterAll(async () => {
    for (const envoy of envoys.values()) await envoy.stop();
    await jwks?.close();
    await upstream?.stop();
  });

  const call = async (example: string, path: string, headers: Record<string, string>) => {
    const r = await send(envoys.get(example)!, path, { host: "api.example.com", ...headers });
    return r.status === 200 ? 200 : `${r.status} ${r.body.trim()}`;
  };
  const hits = (service: string, app: AppRef) => b.internal.usage(service, app, "hits");

  it("api-key, basic-auth and oidc-jwt: allowed, denied and missing credentials; allowed ones counted", async () => {
    const failed = "403 Authentication failed";
    const missing = "403 Authentication parameters missing";
    const seen = [
      await call("api-key", "/?api_key=key-in-query", {}),
      await call("api-key", "/", { "x-api-key": "key-in-header" }),
      await call("api-key", "/", { "x-api-key": "nope" }),
      await call("api-key", "/", {}),
      await call("basic-auth", "/", basic(`aladdin:${KEY}`)),
      await call("basic-auth", "/", basic("aladdin:guess")),
      await call("basic-auth", "/", {}),
      await call("oidc-jwt", "/", bearer(signJwt(signing, claims({ azp: "client-a" })))),
      await call("oidc-jwt", "/", bearer(signJwt(signing, claims({ azp: "stranger" })))),
      await call("oidc-jwt", "/", {}),
    ];
    expect(seen).toEqual([200, 200, failed, missing, 200, failed, missing, 200, failed, missing]);
    const counted = await settled(() => Promise.all([
      hits("2555417800003", { userKey: "key-in-query" }), hits("2555417800003", { userKey: "key-in-header" }),
      hits("2555417800002", { appId: "aladdin" }), hits("2555417800001", { appId: "client-a" }),
    ]));
    expect(counted).toEqual([1, 1, 1, 1]);
  });
});
