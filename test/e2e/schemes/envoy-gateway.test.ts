// examples/envoy-gateway: the api-key scheme as Envoy Gateway deploys it (envoy-gateway.ts): the
// EnvoyExtensionPolicy's JSON `config`, the filter enabled per route, the backend cluster added
// by the EnvoyPatchPolicy. Also: Envoy accepts that cluster as written (DNS, TLS).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildBootstrap } from "../../../tools/envoy/bootstrap";
import { envoyBin } from "../support";
import { readManifests } from "../../support/examples";
import { addedClusters, envoyGatewayBootstrap, extensionPolicy } from "./envoy-gateway";
import { DENIED, MISSING, passed, useStack } from "./support";

const manifests = readManifests("envoy-gateway", "envoyextensionpolicy.yaml");

describe.skipIf(!envoyBin)("examples/envoy-gateway (as Envoy Gateway configures Envoy)", () => {
  const call = useStack((ports) => envoyGatewayBootstrap(manifests, ports));

  it.each([
    ["the header", "/", { "x-api-key": "key-in-header" }, "key-in-header"],
    ["the api_key query parameter", "/orders?api_key=key-in-query", {}, "key-in-query"],
  ])("takes the key from %s and asks the backend through the patched-in cluster", async (_, path, headers, key) => {
    expect(await call(path, headers)).toEqual({ ...passed(path), backend: [{ user_key: key }] });
  });

  it("denies a key the backend rejects, and a request without a key", async () => {
    expect(await call("/", { "x-api-key": "nope" })).toEqual({ ...DENIED, backend: [{ user_key: "nope" }] });
    expect(await call("/")).toEqual(MISSING);
  });

  it("names the cluster the configuration calls", () => {
    expect(addedClusters(manifests).map((c) => c.name)).toEqual([extensionPolicy(manifests).entry.config.backend.upstream.name]);
  });

  it("has a cluster Envoy accepts as written (LOGICAL_DNS, TLS verified against the CA bundle)", async () => {
    const bootstrap = buildBootstrap({ appPort: 1 }) as any;
    bootstrap.static_resources.clusters.push(...addedClusters(manifests));
    const r = await promisify(execFile)(envoyBin!, ["--mode", "validate", "--config-yaml", JSON.stringify(bootstrap), "-l", "warn"]);
    expect(r.stdout).toMatch(/configuration .* OK/);
  });
});
