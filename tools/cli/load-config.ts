// Reads the configuration text the module will receive. A JSON file is passed byte for byte. A
// YAML file holds an Istio WasmPlugin, whose spec.pluginConfig Istio serialises with JSON (absent
// or empty pluginConfig → an empty configuration), an Istio TrafficExtension (the same, from
// spec.wasm), an Envoy Gateway EnvoyExtensionPolicy (each spec.wasm[] entry's `config` as JSON,
// absent → empty), or an Envoy bootstrap (envoy.yaml), whose wasm filter carries the
// configuration as a StringValue. Anything else is a usage error that says what is accepted.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { UsageError } from "./args";

export interface LoadedConfig {
  text: string;
  /** where the text came from, for the output */
  origin: string;
}

export const ACCEPTED = "a JSON plugin configuration, a YAML file with an Istio WasmPlugin or TrafficExtension or an Envoy Gateway EnvoyExtensionPolicy, or a standalone envoy.yaml with an envoy.filters.http.wasm filter";

const WASM_FILTER_TYPE = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";

export function loadConfig(file: string, pluginName?: string): LoadedConfig {
  if (isFolder(file)) {
    const inside = readdirSync(file).filter((f) => /\.(json|ya?ml)$/i.test(f)).map((f) => join(file, f));
    const hint = inside.length > 0 ? `; in it: ${inside.join(", ")}` : "";
    throw new UsageError(`${file} is a folder: pass one file, ${ACCEPTED}${hint}`);
  }
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!/\.ya?ml$/i.test(file)) {
    if (pluginName !== undefined) throw new UsageError("--plugin only applies to a YAML file");
    return { text: raw, origin: file };
  }
  return fromYaml(raw, file, pluginName);
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

interface Found {
  text: string;
  name: string;
  origin: string;
}

function fromYaml(raw: string, file: string, pluginName: string | undefined): LoadedConfig {
  // envoy.yaml templates (examples/) hold ${NAME} placeholders where YAML expects a value
  const placeholders = raw.match(/\$\{[A-Z_]+\}/g) ?? [];
  const docs = parseAllDocuments(raw.replace(/\$\{[A-Z_]+\}/g, "0"));
  if (!Array.isArray(docs)) throw new UsageError(`${file}: not a YAML stream (expected ${ACCEPTED})`);
  const found: Found[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new UsageError(`${file}: not valid YAML (${doc.errors[0].message.split("\n")[0]}); expected ${ACCEPTED}`);
    const value = doc.toJS() as Record<string, any> | null;
    if (value?.kind === "WasmPlugin") found.push(istioPlugin(value, value.spec));
    else if (value?.kind === "TrafficExtension") found.push(...(value.spec?.wasm ? [istioPlugin(value, value.spec.wasm)] : []));
    else if (value?.kind === "EnvoyExtensionPolicy") found.push(...gatewayPlugins(value));
    else if (value && typeof value === "object") collectEnvoyFilters(value, found);
  }
  const chosen = found.filter((f) => pluginName === undefined || f.name === pluginName);
  const wanted = pluginName === undefined ? "" : ` named ${pluginName}`;
  if (chosen.length === 0) throw new UsageError(`${file}: no WasmPlugin, TrafficExtension with wasm, EnvoyExtensionPolicy with wasm or envoy.filters.http.wasm filter${wanted}; expected ${ACCEPTED}`);
  if (chosen.length > 1) {
    throw new UsageError(`${file}: several plugins (${chosen.map((p) => p.name || "(unnamed)").join(", ")}); choose one with --plugin NAME`);
  }
  const note = placeholders.length > 0 ? ` (placeholders ${[...new Set(placeholders)].join(", ")} read as 0)` : "";
  return { text: chosen[0].text, origin: `${file}, ${chosen[0].origin}${note}` };
}

const resourceName = (r: Record<string, any>) => [r.metadata?.namespace, r.metadata?.name].filter(Boolean).join("/") || "(unnamed)";

/** a WasmPlugin (`wasm` = its spec) or a TrafficExtension (`wasm` = its spec.wasm) */
function istioPlugin(resource: Record<string, any>, wasm: Record<string, any> | undefined): Found {
  const config = wasm?.pluginConfig;
  const empty = config == null || (typeof config === "object" && Object.keys(config).length === 0);
  const field = resource.kind === "WasmPlugin" ? "spec.pluginConfig" : "spec.wasm.pluginConfig";
  return { text: empty ? "" : JSON.stringify(config), name: resource.metadata?.name ?? "", origin: `${resource.kind} ${resourceName(resource)} ${field}` };
}

/** Envoy Gateway passes each entry's `config` as it is, JSON text (a string value stays quoted) */
function gatewayPlugins(policy: Record<string, any>): Found[] {
  const entries = Array.isArray(policy.spec?.wasm) ? policy.spec.wasm as Record<string, any>[] : [];
  return entries.map((w, i) => ({
    text: w?.config === undefined || w?.config === null ? "" : JSON.stringify(w.config),
    name: w?.name ?? "",
    origin: `EnvoyExtensionPolicy ${resourceName(policy)} spec.wasm[${i}]${w?.name ? ` (${w.name})` : ""}.config`,
  }));
}

/** every wasm HTTP filter in an Envoy bootstrap or listener, wherever it is nested */
function collectEnvoyFilters(node: unknown, found: Found[]): void {
  if (Array.isArray(node)) {
    node.forEach((n) => collectEnvoyFilters(n, found));
    return;
  }
  if (node === null || typeof node !== "object") return;
  const record = node as Record<string, any>;
  if (record["@type"] === WASM_FILTER_TYPE) {
    const configuration = record.config?.configuration;
    const text = typeof configuration === "string" ? configuration : configuration?.value ?? "";
    const name = record.config?.name ?? "";
    found.push({ text, name, origin: `wasm filter ${name || "(unnamed)"} configuration` });
    return;
  }
  Object.values(record).forEach((v) => collectEnvoyFilters(v, found));
}
