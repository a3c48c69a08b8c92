// Whether the PyPI wasmtime runner can be used: mandatory (scripts/ensure-envoy.sh installs it),
// a loud skip only with AUTHREP_SKIP_ENVOY=1 outside CI, as for Envoy (tools/envoy/locate.ts).
import { wasmtimeAvailable } from "../../tools/wasi/wasmtime";

export function wasmtimeForTests(): boolean {
  if (wasmtimeAvailable()) return true;
  const why = "PyPI wasmtime not importable from .venv/bin/python; run scripts/ensure-envoy.sh";
  if (process.env.AUTHREP_SKIP_ENVOY !== "1" || process.env.CI === "true") {
    throw new Error(`${why} — required (set AUTHREP_SKIP_ENVOY=1 to skip; never under CI=true)`);
  }
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n!! SKIPPING the wasmtime runs of the WASI harness: ${why}\n${bar}\n`);
  return false;
}
