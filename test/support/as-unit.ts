// Compiles an AssemblyScript entry file (a unit-test entry under test/as/) with asc's raw
// bindings, so tests can call its exported functions with JS strings and arrays. Its own
// asconfig keeps the module's entry and release options out of unit builds.
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "../..");

export interface AsUnitOptions {
  /** extra `env` imports (e.g. a fake proxy_log) */
  env?: Record<string, (...args: any[]) => any>;
}

export async function loadAsUnit<T = any>(entry: string, options: AsUnitOptions = {}): Promise<T> {
  const outDir = resolve(root, "build/test-units");
  mkdirSync(outDir, { recursive: true });
  // named by the entry's path, so entries of different areas never share an output
  const name = relative(root, resolve(root, entry)).replace(/\.ts$/, "").replaceAll("/", "-");
  const wasmFile = resolve(outDir, `${name}.wasm`);
  const jsFile = resolve(outDir, `${name}.js`);
  const { error, stderr } = await asc.main(
    [resolve(root, entry), "--config", resolve(root, "test/as/asconfig.json"), "--outFile", wasmFile, "--bindings", "raw", "--debug", "--exportRuntime", "--runtime", "incremental"],
    {},
  );
  if (error) throw new Error(`asc failed for ${entry}: ${stderr.toString()}`);
  const bindings = await import(pathToFileURL(jsFile).href + `?t=${Date.now()}`);
  const { readFile } = await import("node:fs/promises");
  const module = await WebAssembly.compile(await readFile(wasmFile));
  const noop = () => 0;
  const env: Record<string, any> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === "env" && imp.kind === "function") env[imp.name] = noop;
  }
  Object.assign(env, options.env ?? {});
  return (await bindings.instantiate(module, { env })) as T;
}
