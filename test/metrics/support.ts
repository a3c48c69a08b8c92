// The built module in the in-process host, with a backend that answers after a chosen amount of
// virtual time, and the module's metrics read as deltas: what one action changed, nothing else.
import { ProxyWasmHost } from "../../tools/host";
import type { CallAnswer } from "../../tools/host/types";
import { BACKEND_CLUSTER } from "../support/configs";
import { WASM } from "../support/module";

export interface Backend {
  answer: CallAnswer;
  /** virtual ms between the call and its answer */
  latencyMs: number;
}

export async function start(configuration: object, backend: Backend = { answer: { status: 200 }, latencyMs: 0 }): Promise<ProxyWasmHost> {
  const host = await ProxyWasmHost.create({
    wasm: WASM,
    clusters: { [BACKEND_CLUSTER]: () => (host.advance(backend.latencyMs), backend.answer) },
    hangTimeoutMs: 2000,
    startTimeMs: 0, // the host's clock is float ms: near Date.now() its ns are only exact to ~256 ns
  });
  const result = await host.configure(JSON.stringify(configuration));
  if (!result.accepted) throw new Error(`configuration rejected: ${result.error}`);
  return host;
}

/** counter values and histogram sample counts of the module's metrics */
function values(host: ProxyWasmHost): Map<string, number> {
  return new Map(Object.entries(host.metrics()).map(([name, m]) => [name, m.value]));
}

/** the metrics `action` changed, by how much */
export async function delta(host: ProxyWasmHost, action: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = values(host);
  await action();
  const changed: Record<string, number> = {};
  for (const [name, value] of values(host)) if (value !== (before.get(name) ?? 0)) changed[name] = value - (before.get(name) ?? 0);
  return changed;
}
