// Finds the Envoy binary installed by scripts/ensure-envoy.sh. The real-Envoy tier is mandatory:
// a missing binary is an error, unless AUTHREP_SKIP_ENVOY=1 (never under CI=true) turns it into
// a loud skip, so a green run never hides that it tested less.
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");

/** `ENVOY_BIN` if set, else the project venv's `envoy`; undefined when neither exists. */
export function locateEnvoy(): string | undefined {
  const candidate = process.env.ENVOY_BIN ?? resolve(repoRoot, ".venv/bin/envoy");
  return existsSync(candidate) ? candidate : undefined;
}

/** For test files: the binary, or undefined after a warning banner (throws under CI). */
export function envoyForTests(): string | undefined {
  const bin = locateEnvoy();
  if (bin) return bin;
  const why = "Envoy not found (.venv/bin/envoy or $ENVOY_BIN); run scripts/ensure-envoy.sh";
  if (process.env.AUTHREP_SKIP_ENVOY !== "1" || process.env.CI === "true") {
    throw new Error(`${why} — required (set AUTHREP_SKIP_ENVOY=1 to skip the real-Envoy tests; never under CI=true)`);
  }
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n!! SKIPPING real-Envoy tests: ${why}\n${bar}\n`);
  return undefined;
}
