// The WASI harness artifact (assembly/wasi): where it is built, how, and what a run returns.
import asc from "assemblyscript/asc";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const HARNESS_WASM = resolve(ROOT, "build/authrep-harness.wasm");

export interface HarnessRun {
  /** 0 ok, 1 configuration rejected, 2 malformed input (the worst over a batch) */
  exitCode: number;
  stdout: string;
}

/** compiles assembly/wasi/main.ts to HARNESS_WASM, as `npm run build:harness` does */
export async function buildHarness(): Promise<void> {
  const { error, stderr } = await asc.main(["--config", "assembly/wasi/asconfig.json", "--baseDir", ROOT]);
  if (error) throw new Error(`harness build failed: ${error.message}\n${stderr.toString()}`);
}

export type Pair = [name: string, value: string];

/** what the harness reads (assembly/wasi/input.ts); an array of these is a batch */
export interface HarnessDocument {
  /** the pluginConfig, as an object or as the JSON text Envoy would receive */
  config: unknown;
  /** absent: only the configuration is checked */
  request?: { headers: Pair[]; metadata?: Record<string, unknown> };
  /** the backend's answer, applied when the decision is an authrep call; status null = call failed */
  answer?: { status: string | null; rejection_reason?: string | null };
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
}
