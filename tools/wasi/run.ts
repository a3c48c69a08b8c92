// Runs the WASI harness under Node's node:wasi. As a command it behaves like
// `wasmtime run build/authrep-harness.wasm`:  tsx tools/wasi/run.ts [wasm] < request.json
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { WASI } from "node:wasi";
import { HARNESS_WASM, type HarnessRun } from "./harness";

/** stdin and stdout go through temp files: node:wasi reads and writes real fds synchronously */
export async function runUnderNode(input: string, wasm = HARNESS_WASM): Promise<HarnessRun> {
  const dir = mkdtempSync(join(tmpdir(), "authrep-harness-"));
  const inPath = join(dir, "stdin.json");
  const outPath = join(dir, "stdout.json");
  writeFileSync(inPath, input);
  const stdin = openSync(inPath, "r");
  const stdout = openSync(outPath, "w");
  try {
    const wasi = new WASI({ version: "preview1", args: [wasm], stdin, stdout, stderr: 2, returnOnExit: true });
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), throughJavaScript(wasi.getImportObject()));
    const exitCode = wasi.start(instance);
    return { exitCode, stdout: readFileSync(outPath, "utf8") };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Node 20 lets optimised Wasm call node:wasi's C++ functions directly (V8 fast API calls); one of
 * them can start a GC inside the call, which corrupts the JS heap: a SIGSEGV after a few runs in
 * one process (nodejs/node#46777). Called through a JavaScript function they take the normal path.
 */
function throughJavaScript(imports: WebAssembly.Imports): WebAssembly.Imports {
  const wrapped: Record<string, (...args: number[]) => unknown> = {};
  for (const [name, fn] of Object.entries(imports.wasi_snapshot_preview1 as Record<string, (...args: number[]) => unknown>)) {
    wrapped[name] = (...args) => fn(...args);
  }
  return { wasi_snapshot_preview1: wrapped };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const wasm = process.argv[2] ?? HARNESS_WASM;
  if (!existsSync(wasm)) {
    process.stderr.write(`${wasm} not found: build it with npm run build:harness\n`);
    process.exit(2);
  }
  const run = await runUnderNode(readFileSync(0, "utf8"), wasm);
  process.stdout.write(run.stdout);
  process.exitCode = run.exitCode;
}
