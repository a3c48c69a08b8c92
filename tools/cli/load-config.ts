// Reads the configuration text the module will receive. A JSON file is passed byte for byte; a
// YAML file must hold a WasmPlugin, whose spec.pluginConfig Istio serialises with JSON
// (envoy-e2e.md §6: absent or empty pluginConfig → an empty configuration).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { UsageError } from "./args";

export interface LoadedConfig {
  text: string;
  /** where the text came from, for the output */
  origin: string;
}

export function loadConfig(file: string, pluginName?: string): LoadedConfig {
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
  return fromWasmPlugin(raw, file, pluginName);
}

function fromWasmPlugin(raw: string, file: string, pluginName: string | undefined): LoadedConfig {
  const docs = parseAllDocuments(raw);
  if (!Array.isArray(docs)) throw new UsageError(`${file}: not a YAML stream`);
  const plugins = docs.map((doc) => {
    if (doc.errors.length > 0) throw new UsageError(`${file}: ${doc.errors[0].message}`);
    return doc.toJS() as Record<string, any> | null;
  }).filter((d) => d?.kind === "WasmPlugin" && (pluginName === undefined || d.metadata?.name === pluginName));
  const wanted = pluginName === undefined ? "WasmPlugin" : `WasmPlugin named ${pluginName}`;
  if (plugins.length === 0) throw new UsageError(`${file}: no ${wanted}`);
  if (plugins.length > 1) {
    const names = plugins.map((p) => p!.metadata?.name ?? "(unnamed)").join(", ");
    throw new UsageError(`${file}: several WasmPlugins (${names}); choose one with --plugin NAME`);
  }
  const plugin = plugins[0]!;
  const config = plugin.spec?.pluginConfig;
  const empty = config == null || (typeof config === "object" && Object.keys(config).length === 0);
  const name = [plugin.metadata?.namespace, plugin.metadata?.name].filter(Boolean).join("/");
  return { text: empty ? "" : JSON.stringify(config), origin: `${file}, WasmPlugin ${name || "(unnamed)"} spec.pluginConfig` };
}
