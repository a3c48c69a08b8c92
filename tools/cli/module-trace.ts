// The module's own trace of one request: the pipeline's `decide` with its trace hooks on, as the
// WASI harness build of the same sources runs it (assembly/wasi; the proxy-wasm build carries no
// recording code). Built on first use, and again whenever a source under assembly/ is newer.
import type { RequestSpec } from "../host/types";
import { buildHarness, HARNESS_WASM, harnessIsStale, type HarnessResult } from "../wasi/harness";

export async function traceRequest(configText: string, request: RequestSpec, note: (line: string) => void): Promise<HarnessResult> {
  if (harnessIsStale()) {
    note(`building ${HARNESS_WASM}, which records the trace (about 30 s)…`);
    await buildHarness();
  }
  const headers = request.headers.map(([name, value]) => [name, String(value)]);
  const document = { config: configText, request: { headers, ...(request.metadata && { metadata: request.metadata }) }, trace: true };
  const { runUnderNode } = await quietly(() => import("../wasi/run"));
  const run = await runUnderNode(JSON.stringify(document));
  const result = JSON.parse(run.stdout) as HarnessResult;
  if (result.malformed !== undefined) throw new Error(`the harness refused the request: ${result.malformed}`);
  return result;
}

/** loading node:wasi emits an ExperimentalWarning (on a later tick) the user need not see: drop that one alone */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const listeners = process.listeners("warning");
  process.removeAllListeners("warning");
  const filter = (w: Error) => {
    if (w.name !== "ExperimentalWarning" || !w.message.includes("WASI")) listeners.forEach((l) => l(w));
  };
  process.on("warning", filter);
  try {
    return await run();
  } finally {
    await new Promise(setImmediate);
    process.off("warning", filter);
    listeners.forEach((l) => process.on("warning", l));
  }
}
