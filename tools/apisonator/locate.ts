// Finds the real 3scale backend (Apisonator) for the tests that need it: an already running one
// at `APISONATOR_URL` (e.g. the Apisonator container), else the kit in ../shared/apisonator
// (`APISONATOR_KIT` overrides the folder), which installs and starts one locally. Missing both is
// a one-line skip for a developer and an error under CI=true.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { repoRoot } from "../envoy/locate";

export type ApisonatorSource = { kind: "url"; url: string } | { kind: "kit"; dir: string };

/** The kit folder: `APISONATOR_KIT`, else ../shared/apisonator beside the repository. */
export function kitDir(): string {
  return process.env.APISONATOR_KIT ?? resolve(repoRoot, "../shared/apisonator");
}

/** Where an Apisonator comes from; undefined when there is none. */
export function locateApisonator(): ApisonatorSource | undefined {
  const url = process.env.APISONATOR_URL;
  if (url) return { kind: "url", url: url.replace(/\/+$/, "") };
  const dir = kitDir();
  return existsSync(resolve(dir, "start.sh")) ? { kind: "kit", dir } : undefined;
}

/** For test files: the source, or undefined after one warning line (throws under CI=true). */
export function apisonatorForTests(): ApisonatorSource | undefined {
  const source = locateApisonator();
  if (source) return source;
  const why = `no Apisonator: neither APISONATOR_URL nor the kit at ${kitDir()} (start.sh)`;
  if (process.env.CI === "true") throw new Error(`${why} — required under CI`);
  console.warn(`SKIPPING Apisonator tests: ${why}`);
  return undefined;
}
