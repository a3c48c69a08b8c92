// The WASI harness artifact (assembly/wasi): where it is built, how, and what a run returns.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const HARNESS_WASM = resolve(ROOT, "build/authrep-harness.wasm");

export interface HarnessRun {
  /** 0 ok, 1 configuration rejected, 2 malformed input (the worst over a batch) */
  exitCode: number;
  stdout: string;
}

/**
 * compiles assembly/wasi/main.ts to HARNESS_WASM, as `npm run build:harness` does; through a
 * temporary file renamed into place, so a concurrent build or run never sees half a module
 */
export async function buildHarness(): Promise<void> {
  const temporary = `${HARNESS_WASM}.${process.pid}.tmp`;
  // loaded here: the compiler takes seconds to load, and running the harness never needs it
  const { default: asc } = await import("assemblyscript/asc");
  const { error, stderr } = await asc.main(["--config", "assembly/wasi/asconfig.json", "--baseDir", ROOT, "--outFile", temporary]);
  if (error) {
    rmSync(temporary, { force: true });
    throw new Error(`harness build failed: ${error.message}\n${stderr.toString()}`);
  }
  renameSync(temporary, HARNESS_WASM);
}

/** whether HARNESS_WASM is missing or older than a source under assembly/ */
export function harnessIsStale(): boolean {
  const built = existsSync(HARNESS_WASM) ? statSync(HARNESS_WASM).mtimeMs : -1;
  const sources = readdirSync(resolve(ROOT, "assembly"), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && /\.(ts|json)$/.test(f.name));
  return sources.some((f) => statSync(join(f.parentPath, f.name)).mtimeMs > built);
}

/** builds HARNESS_WASM unless it is up to date */
export async function ensureHarness(): Promise<void> {
  if (harnessIsStale()) await buildHarness();
}

export type Pair = [name: string, value: string];

/** what the harness reads (assembly/wasi/input.ts); an array of these is a batch */
export interface HarnessDocument {
  /** the pluginConfig, as an object or as the JSON text Envoy would receive */
  config: unknown;
  /** absent: only the configuration is checked */
  request?: { headers: Pair[]; metadata?: Record<string, unknown> };
  /** the backend's answer, applied when the decision is an authrep call */
  answer?: HarnessAnswer;
  /** ask for decide's trace (HarnessTrace) */
  trace?: boolean;
  /** a scenario through the authorization policy on one worker (assembly/wasi/steps.ts): each step a request, or the answer to the oldest authrep in flight */
  steps?: ({ at: number; request: { headers: Pair[] } } | { at: number; answer: HarnessAnswer })[];
}

/** status null = the call failed (no answer); limit_*: the 3scale-limit-* headers */
export interface HarnessAnswer {
  status: string | null;
  rejection_reason?: string | null;
  limit_max?: string | null;
  limit_remaining?: string | null;
  limit_reset?: string | null;
}

export interface HarnessDecision {
  outcome: "reply" | "authrep" | "continue";
  status: number;
  body: string;
  details: string;
  authrep?: { cluster: string; timeout_ms: number; headers: Pair[] };
  upstream_headers?: Pair[];
}

/** what the harness prints for one document (assembly/wasi/output.ts) */
export interface HarnessResult {
  /** set instead of everything else when the document itself is malformed */
  malformed?: string;
  configured: boolean;
  error?: string;
  warnings: string[];
  decision?: HarnessDecision;
  answer_decision?: HarnessDecision;
  trace?: HarnessTrace;
  /** with `steps`: what each request (the index of its step) got at each step; decision null: it waits for an authrep in flight */
  events?: { step: number; request: number; decision: HarnessDecision | null }[];
}

/**
 * decide's steps (assembly/wasi/trace.ts); a member is present only when decide reached that
 * step. Indexes are 0-based positions in the configuration's lists.
 */
export interface HarnessTrace {
  /** the normalised authority services are matched against */
  authority?: string;
  /** the first service with an authority pattern matching it (services[index].authorities[pattern]); null: none */
  service?: { index: number; id: string; pattern: number } | null;
  /** the lookup sources tried, in order */
  lookups?: HarnessLookup[];
  /** null: none found */
  credentials?: { user_key: string } | { app_id: string; app_key: string | null } | null;
  /** mapping rules that matched, in order */
  rules?: number[];
  usages?: [name: string, delta: number][];
}

export interface HarnessLookup {
  kind: "user_key" | "app_id" | "app_key";
  /** position in the service's list of that kind */
  source: number;
  /** whether the source found a value (then its operations ran) */
  found: boolean;
  /** what it found, then the stack after each operation that succeeded */
  stacks: string[][];
  /** the operation that failed (0-based), null: none did */
  failed_op: number | null;
  /** stacks left out past the harness's recording cap */
  truncated?: boolean;
}
