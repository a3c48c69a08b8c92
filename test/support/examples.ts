// Reads the checked-in examples/<scheme>/ files: the Istio manifests of wasmplugin.yaml (and of
// trafficextension.yaml where there is one) and the standalone envoy.yaml with its
// ${PLACEHOLDERS} substituted (examples/README.md).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { repoRoot } from "../../tools/envoy/locate";

export const examplesDir = resolve(repoRoot, "examples");

/** the scheme examples: the folders with a wasmplugin.yaml (not the demo, not envoy-gateway) */
export const schemeExamples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(resolve(examplesDir, e.name, "wasmplugin.yaml")))
  .map((e) => e.name);

/** the Istio manifest files of an example: wasmplugin.yaml, and trafficextension.yaml if present */
export const istioFiles = (example: string) =>
  ["wasmplugin.yaml", "trafficextension.yaml"].filter((f) => existsSync(resolve(examplesDir, example, f)));

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, any>;
}

export function readManifests(example: string, file = "wasmplugin.yaml"): Manifest[] {
  const text = readFileSync(resolve(examplesDir, example, file), "utf8");
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(`${example}/${file}: ${d.errors[0].message}`);
    return d.toJS() as Manifest;
  });
}

export const ofKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind);

export function wasmPlugin(ms: Manifest[]): Manifest {
  const [plugin, ...more] = ofKind(ms, "WasmPlugin");
  if (!plugin || more.length) throw new Error("expected exactly one WasmPlugin");
  return plugin;
}

/** what Istio reads of the one Wasm extension: a WasmPlugin's spec, a TrafficExtension's spec.wasm */
export interface IstioPlugin {
  manifest: Manifest;
  phase?: string;
  url: string;
  pluginConfig?: unknown;
  pluginName?: string;
  failStrategy?: string;
}

export function istioPlugin(ms: Manifest[]): IstioPlugin {
  const [manifest, ...more] = [...ofKind(ms, "WasmPlugin"), ...ofKind(ms, "TrafficExtension")];
  if (!manifest || more.length) throw new Error("expected exactly one WasmPlugin or TrafficExtension");
  const wasm = manifest.kind === "WasmPlugin" ? manifest.spec : manifest.spec.wasm;
  if (!wasm) throw new Error(`TrafficExtension ${manifest.metadata.name} has no wasm`);
  return { manifest, phase: manifest.spec.phase, url: wasm.url, pluginConfig: wasm.pluginConfig, pluginName: wasm.pluginName, failStrategy: wasm.failStrategy };
}

/** envoy.yaml with every ${NAME} replaced; a placeholder without a value is an error */
export function renderEnvoyYaml(example: string, values: Record<string, string | number | undefined>): any {
  const text = readFileSync(resolve(examplesDir, example, "envoy.yaml"), "utf8");
  return parse(text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    if (values[name] === undefined) throw new Error(`${example}/envoy.yaml: no value for \${${name}}`);
    return String(values[name]);
  }));
}

/** the wasm filter's configuration text in a parsed envoy.yaml */
export function envoyYamlPluginConfig(bootstrap: any): unknown {
  const hcm = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  const wasm = hcm.http_filters.find((f: any) => f.name === "envoy.filters.http.wasm");
  return JSON.parse(wasm.typed_config.config.configuration.value);
}
