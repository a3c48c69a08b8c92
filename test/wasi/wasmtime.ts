// Whether the PyPI wasmtime runner can be used: mandatory under CI=true (scripts/ensure-envoy.sh
// installs it), a loud skip for a developer without it.
import { wasmtimeAvailable } from "../../tools/wasi/wasmtime";

export function wasmtimeForTests(): boolean {
  if (wasmtimeAvailable()) return true;
  const why = "PyPI wasmtime not importable from .venv/bin/python; run scripts/ensure-envoy.sh";
  if (process.env.CI === "true") throw new Error(`${why} — required under CI`);
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n!! SKIPPING the wasmtime runs of the WASI harness: ${why}\n${bar}\n`);
  return false;
}
