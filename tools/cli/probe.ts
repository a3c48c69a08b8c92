// The module logs only its verdicts, not the steps that led to them. To show those steps with
// the module's own semantics, the request is replayed on an instrumented copy of the
// configuration (never on the real backend):
// - a `values` operation (debug level, an id of ours) before and after every operation of every
//   lookup source, so the module itself logs each source's stack after every operation;
// - a first user_key source per service that logs a marker and then always fails (`length`
//   min 2 on a one-value stack), so the selected service shows even when no credential is found;
// - each mapping rule's usages replaced by one marker metric `r<index>`, so the authrep call
//   lists exactly the rules the module matched (with its `last` handling);
// - a stub backend and a token for every service, so every request that gets that far makes
//   the authrep call.
// A `filter` source without operations is left alone: adding operations would turn its
// zero-value result (a resolved empty list, docs/configuration.md §8.3) into a failure.
import type { ProxyWasmHost } from "../host";
import type { RequestSpec } from "../host/types";
import { CREDENTIAL_KINDS, type CredentialKind, type ConfigView, type SourceView, withOps } from "./config-view";
import { configure, loadModule } from "./module";
import { parseValuesLine } from "./stack-log";

const PROBE_CLUSTER = "authrep-cli-probe";
const ID = "authrep-cli-probe#";
const NO_RULE = "No Mapping Rule matched\n";

export interface ProbeResult {
  /** index in view.services of the selected service, if any */
  service?: number;
  /** `${kind}/${source index}` → stacks the module logged: [initial, after op 1, …] */
  stacks: Map<string, string[][]>;
  /** sources that were not instrumented (see above), same keys */
  uninstrumented: Set<string>;
  /** rule indexes whose usages the module counted, in rule order; undefined: rules not reached */
  matchedRules?: number[];
}

export async function probe(wasm: string, view: ConfigView, request: RequestSpec): Promise<ProbeResult> {
  const host = await loadModule(wasm, { [PROBE_CLUSTER]: () => ({ status: 200 }) });
  try {
    const uninstrumented = new Set<string>();
    const verdict = await configure(host, JSON.stringify(instrument(view, uninstrumented)));
    if (!verdict.accepted) throw new Error(`the instrumented configuration was rejected: ${verdict.error}`);
    return { ...(await replay(host, request)), uninstrumented };
  } finally {
    await host.close();
  }
}

function instrument(view: ConfigView, uninstrumented: Set<string>): object {
  const values = (id: string) => ({ values: { level: "debug", id: ID + id } });
  const services = view.services.map((service, i) => {
    const credentials: Record<string, unknown[]> = {};
    for (const kind of CREDENTIAL_KINDS) {
      const sources = service.credentials[kind];
      if (!sources) continue;
      credentials[kind] = sources.map((source, j) => {
        const key = `${kind}/${j}`;
        if (source.type === "filter" && source.ops.length === 0) {
          uninstrumented.add(key);
          return withOps(source, source.ops);
        }
        return withOps(source, interleave(source, (step) => values(`${i}/${key}/${step}`)));
      });
    }
    const marker = { header: { keys: [":authority"], ops: [values(`${i}/service`), { length: { min: 2 } }] } };
    credentials.user_key = [marker, ...(credentials.user_key ?? [])];
    const raw = view.raw.services[i];
    const rules = (raw.mapping_rules ?? []).map((rule: object, k: number) => ({ ...rule, usages: [{ name: `r${k}`, delta: 1 }] }));
    const { failure_policy: _policy, ...kept } = raw;
    return { ...kept, token: "probe-token", credentials, mapping_rules: rules };
  });
  // the stub backend has no cache and always answers: a failure policy (whose stale_seconds
  // would need the cache) has nothing to do here
  const { passthrough_metadata: _, failure_policy: _policy, ...rest } = view.raw;
  return { ...rest, backend: { upstream: { name: PROBE_CLUSTER, url: "http://probe.invalid/", timeout: 1000 } }, services };
}

/** [log 0, op 1, log 1, …, op n, log n] */
function interleave(source: SourceView, log: (step: number) => object): unknown[] {
  return [log(0), ...source.ops.flatMap((op, k) => [op, log(k + 1)])];
}

async function replay(host: ProxyWasmHost, request: RequestSpec): Promise<Omit<ProbeResult, "uninstrumented">> {
  const r = await host.request(request);
  const stacks = new Map<string, string[][]>();
  let service: number | undefined;
  for (const log of r.logs) {
    const line = parseValuesLine(log.message);
    if (!line?.id.startsWith(ID) || !line.values) continue;
    const [index, kind, source, step] = line.id.slice(ID.length).split("/");
    service = Number(index);
    if (kind === "service") continue;
    const key = `${kind as CredentialKind}/${source}`;
    const list = stacks.get(key) ?? [];
    list[Number(step)] = line.values;
    stacks.set(key, list);
  }
  const path = r.httpCalls[0]?.headers.find(([name]) => name === ":path")?.[1];
  const matchedRules = path !== undefined
    ? [...String(path).matchAll(/[?&]usage(?:\[|%5B)r(\d+)(?:\]|%5D)=/g)].map((m) => Number(m[1]))
    : r.body === NO_RULE ? [] : undefined;
  return { service, stacks, matchedRules };
}
