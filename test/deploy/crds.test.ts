// The deployment examples against the published CRD schemas (crds/: Istio's from the istio.io/api
// Go module, Envoy Gateway's from github.com/envoyproxy/gateway; crds/VERSIONS): every document of
// every examples/*/trafficextension.yaml and examples/envoy-gateway/*.yaml validates, and each
// plugin configuration they carry validates against schema/plugin-config.schema.json. Broken
// copies show the validator refuses what the API server would.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { schemaError } from "../support/schema-validator";
import { loadCrds, manifestError } from "./crd-validator";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const crds = loadCrds();

const files = [
  ...readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, "trafficextension.yaml"))).map((d) => `${d}/trafficextension.yaml`),
  ...readdirSync(join(EXAMPLES, "envoy-gateway")).filter((f) => f.endsWith(".yaml")).map((f) => `envoy-gateway/${f}`),
];
const manifests = (file: string) => parseAllDocuments(readFileSync(join(EXAMPLES, file), "utf8")).map((d) => d.toJS() as any);
const documents = files.flatMap((file) => manifests(file).map((m): [string, any] => [`${file} ${m.kind} ${m.metadata?.name}`, m]));

/** the plugin configurations: TrafficExtension spec.wasm.pluginConfig, EnvoyExtensionPolicy spec.wasm[].config */
const pluginConfigs = documents.flatMap(([name, m]): [string, unknown][] => {
  if (m.kind === "TrafficExtension") return [[name, m.spec.wasm.pluginConfig]];
  if (m.kind === "EnvoyExtensionPolicy") return m.spec.wasm.map((w: any, i: number): [string, unknown] => [`${name} wasm[${i}]`, w.config]);
  return [];
});

describe("the deployment examples", () => {
  it("are the TrafficExtensions of api-key, oidc-jwt, production and the Envoy Gateway example", () => {
    expect(files).toEqual(expect.arrayContaining(["api-key/trafficextension.yaml", "oidc-jwt/trafficextension.yaml", "production/trafficextension.yaml", "envoy-gateway/envoyextensionpolicy.yaml"]));
    expect(documents.map(([, m]) => m.kind)).toEqual(expect.arrayContaining(["TrafficExtension", "EnvoyExtensionPolicy", "EnvoyPatchPolicy"]));
  });

  it.each(documents)("%s matches its CRD", (_, manifest) => {
    expect(manifestError(crds, manifest)).toBe("");
  });

  it.each(pluginConfigs)("%s: the plugin configuration matches schema/plugin-config.schema.json", (_, config) => {
    expect(schemaError(config)).toBe("");
  });
});

describe("the validator refuses broken copies", () => {
  const [, extension] = documents.find(([, m]) => m.kind === "TrafficExtension")!;
  const [, policy] = documents.find(([, m]) => m.kind === "EnvoyExtensionPolicy")!;
  const edit = (m: any, change: (copy: any) => void) => { const copy = structuredClone(m); change(copy); return copy; };

  it.each([
    ["a misspelt field (pluginconfig)", edit(extension, (c) => { c.spec.wasm.pluginconfig = c.spec.wasm.pluginConfig; delete c.spec.wasm.pluginConfig; }), /additional properties \(pluginconfig\)/],
    ["the WasmPlugin layout (url at spec)", edit(extension, (c) => { c.spec.url = c.spec.wasm.url; delete c.spec.wasm; }), /additional properties \(url\)/],
    ["failStrategy FAIL_CLOSED", edit(extension, (c) => { c.spec.wasm.failStrategy = "FAIL_CLOSED"; }), /allowed values/],
    ["a sha256 with its prefix", edit(extension, (c) => { c.spec.wasm.sha256 = `sha256:${"a".repeat(64)}`; }), /must match pattern/],
    ["the old group", edit(extension, (c) => { c.apiVersion = "networking.istio.io/v1alpha3"; }), /no CRD for networking\.istio\.io\/v1alpha3 TrafficExtension/],
    ["code.type OCI", edit(policy, (c) => { c.spec.wasm[0].code.type = "OCI"; }), /allowed values/],
    ["failOpen as a string", edit(policy, (c) => { c.spec.wasm[0].failOpen = "false"; }), /must be boolean/],
    ["17 wasm entries", edit(policy, (c) => { c.spec.wasm = Array(17).fill(c.spec.wasm[0]); }), /must NOT have more than 16 items/],
  ])("%s", (_, manifest, problem) => {
    expect(manifestError(crds, manifest)).toMatch(problem);
  });
});
