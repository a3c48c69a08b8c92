// Every example configuration in the repository validates: examples/**/plugin-config.json, and
// the spec.pluginConfig of every WasmPlugin in examples/**/*.yaml (globbed now: examples may be
// added). Other JSON under examples/ (e.g. the simulator seed) is not a plugin configuration.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { schemaError } from "../support/schema-validator";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");

function exampleConfigs(): [string, unknown][] {
  const files = readdirSync(EXAMPLES, { recursive: true, encoding: "utf8" }).sort();
  return files.flatMap((file): [string, unknown][] => {
    const text = () => readFileSync(join(EXAMPLES, file), "utf8");
    if (file.endsWith("plugin-config.json")) return [[file, JSON.parse(text())]];
    if (!/\.ya?ml$/.test(file)) return [];
    return parseAllDocuments(text())
      .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { pluginConfig?: unknown } })
      .filter((r) => r?.kind === "WasmPlugin")
      .map((r): [string, unknown] => [`${file} WasmPlugin ${r.metadata?.name ?? ""}`, r.spec?.pluginConfig]);
  });
}

const configs = exampleConfigs();

describe("example configurations", () => {
  it("there is at least one", () => {
    expect(configs.length).toBeGreaterThan(0);
  });

  it.each(configs)("%s", (_, config) => {
    expect(schemaError(config)).toBe("");
  });
});
