// Where the bytes of on_configure go, for the demo configuration plus N realistic mapping rules
// (bench/mapping-rules.ts): an instrumented build of the configuration parser, with the module's
// runtime and its allocation counter (runtime/gc.ts), runs the phases one at a time and prints
// the bytes of blocks each allocated (a block regrown counts whole again: an upper bound).
//
//   npx tsx bench/configure-memory.ts [rules, default 1000]
import asc from "assemblyscript/asc";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../tools/envoy/locate";
import { demoWithRules } from "./mapping-rules";

const rules = Number(process.argv[2] ?? 1000);
const outFile = resolve(repoRoot, "build/configure-memory/entry.wasm");
// the release options and runtime of asconfig.json (its `use` aliases count the allocations)
const { error, stderr } = await asc.main([
  resolve(repoRoot, "bench/configure-memory/entry.ts"), "--config", resolve(repoRoot, "asconfig.json"), "--target", "release",
  "--outFile", outFile, "--bindings", "raw", "--exportRuntime",
], {});
if (error) throw new Error(`asc: ${stderr.toString()}`);
const bindings = await import(pathToFileURL(outFile.replace(/\.wasm$/, ".js")).href);
const module = await WebAssembly.compile(readFileSync(outFile));
const env: Record<string, () => number> = {};
for (const i of WebAssembly.Module.imports(module)) if (i.module === "env" && i.kind === "function") env[i.name] = () => 0;
const m = await bindings.instantiate(module, { env });

const config = demoWithRules(readFileSync(resolve(repoRoot, "examples/demo/plugin-config.json"), "utf8"), rules) as {
  services: { mapping_rules: { pattern: string }[] }[];
};
const text = JSON.stringify(config);
const bytes = new TextEncoder().encode(text);
const patterns = config.services[0].mapping_rules.map((r) => r.pattern);

const rows: Record<string, string>[] = [];
function phase(name: string, run: () => unknown): void {
  const before = Number(m.allocated());
  const result = run();
  if (typeof result === "string" && result !== "") throw new Error(`${name}: ${result}`);
  const kib = (Number(m.allocated()) - before) / 1024;
  rows.push({ phase: name, KiB: kib.toFixed(0), "bytes per rule": ((kib * 1024) / rules).toFixed(0) });
}
phase("the configuration bytes and their UTF-16 decoding", () => m.decode(bytes.buffer));
phase("JSON tree", () => m.json());
phase("whole configuration (JSON tree, typed configuration, patterns, rule index)", () => m.config());
m.setPatterns(patterns);
phase("the patterns alone", () => m.patterns());
console.log(`${rules} mapping rules, ${bytes.length} bytes of configuration`);
console.table(rows);
