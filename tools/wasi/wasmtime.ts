// Runs the WASI harness under the PyPI `wasmtime` package in the project venv
// (scripts/ensure-envoy.sh installs it) through tools/wasi/run_wasmtime.py.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { HARNESS_WASM, ROOT, type HarnessRun } from "./harness";

const PYTHON = resolve(ROOT, ".venv/bin/python");
const RUNNER = resolve(ROOT, "tools/wasi/run_wasmtime.py");

/** whether the venv's python can import wasmtime */
export function wasmtimeAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import wasmtime"], { stdio: "ignore" }).status === 0;
}

export function runUnderWasmtime(input: string, wasm = HARNESS_WASM): HarnessRun {
  const r = spawnSync(PYTHON, [RUNNER, wasm], { input, encoding: "utf8", maxBuffer: 1 << 28, stdio: ["pipe", "pipe", "inherit"] });
  if (r.error) throw r.error;
  if (r.status === null) throw new Error(`wasmtime runner killed by ${r.signal}`);
  return { exitCode: r.status, stdout: r.stdout };
}
