// The examples/ folders without Envoy: each is complete and consistent (its two files carry the
// same plugin configuration, Istio gets the backend cluster, JWT schemes have their
// RequestAuthentication), and the index lists it. Running them: the other files here.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { envoyYamlPluginConfig, examplesDir, istioFiles, ofKind, readManifests, renderEnvoyYaml, schemeExamples, wasmPlugin } from "../../support/examples";
import { upstreamNames } from "./istio";

const PORTS = { LISTENER_PORT: 1, ADMIN_PORT: 2, APP_PORT: 3, BACKEND_PORT: 4, JWKS_PORT: 5, WASM_FILE: "/x.wasm" };

describe.each(schemeExamples)("examples/%s", (example) => {
  const manifests = readManifests(example);
  const plugin = wasmPlugin(manifests);
  const config = plugin.spec.pluginConfig;
  const readsJwt = ofKind(manifests, "RequestAuthentication").length > 0;

  it("is a fail-closed WasmPlugin loaded from an OCI image", () => {
    expect(plugin.apiVersion).toBe("extensions.istio.io/v1alpha1");
    expect(plugin.spec).toMatchObject({ selector: { matchLabels: expect.any(Object) }, url: expect.stringMatching(/^oci:\/\//), failStrategy: "FAIL_CLOSE" });
  });

  it("runs after jwt_authn when it reads JWT data", () => {
    const usesJwt = JSON.stringify(config).includes("jwt");
    expect(readsJwt).toBe(usesJwt);
    if (usesJwt) expect(["AUTHZ", "STATS"]).toContain(plugin.spec.phase);
  });

  it("gives Istio a cluster, over TLS, for every upstream it calls", () => {
    for (const name of upstreamNames(config)) {
      const [, port, , host] = name.split("|");
      const entries = ofKind(manifests, "ServiceEntry").filter((e) => e.spec.hosts.includes(host));
      expect(entries.flatMap((e) => e.spec.ports.map((p: { number: number }) => p.number)), name).toContain(Number(port));
      expect(ofKind(manifests, "DestinationRule").find((d) => d.spec.host === host)?.spec.trafficPolicy.tls.mode, name).toBe("SIMPLE");
    }
  });

  it("has the same plugin configuration in envoy.yaml", () => {
    expect(envoyYamlPluginConfig(renderEnvoyYaml(example, PORTS))).toEqual(config);
  });

  it("is listed in examples/README.md", () => {
    expect(readFileSync(resolve(examplesDir, "README.md"), "utf8")).toContain(`(${example}/)`);
  });
});

const withTrafficExtension = schemeExamples.filter((e) => istioFiles(e).includes("trafficextension.yaml"));

it("api-key, oidc-jwt and production have a trafficextension.yaml", () => {
  expect(withTrafficExtension).toEqual(expect.arrayContaining(["api-key", "oidc-jwt", "production"]));
});

describe.each(withTrafficExtension)("examples/%s/trafficextension.yaml", (example) => {
  it("is wasmplugin.yaml with the WasmPlugin as a TrafficExtension: the same fields, the module's under wasm", () => {
    const plugins = readManifests(example);
    const extensions = readManifests(example, "trafficextension.yaml");
    const plugin = wasmPlugin(plugins);
    const [extension, ...more] = ofKind(extensions, "TrafficExtension");
    expect(more).toEqual([]);
    expect(extension.apiVersion).toBe("extensions.istio.io/v1alpha1");
    expect(extension.metadata).toEqual(plugin.metadata);
    const { selector, phase, ...wasm } = plugin.spec;
    expect(extension.spec).toEqual({ selector, phase, wasm });
    expect(extensions.filter((m) => m.kind !== "TrafficExtension")).toEqual(plugins.filter((m) => m.kind !== "WasmPlugin"));
  });
});
