// One example's envoy.yaml in a real Envoy (two workers, connections spread evenly over them)
// for the hostile-size suite, optionally with `max_request_headers_kb` raised, against the
// simulator, the echo upstream and — for the JWT examples — a JWKS server whose key signs
// tokens; and what the suite reads from the running Envoy: its CPU time, the module's memory
// gauge once the VMs have recorded it, and how many connections each worker accepted.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { moduleStats, startEnvoy, type RunningEnvoy } from "../../../tools/envoy/envoy";
import { startSimulator, type Simulator } from "../../../tools/simulator/server";
import type { Seed } from "../../../tools/simulator/seed";
import { startUpstream, type Upstream } from "../../../tools/upstream/upstream";
import { sleep } from "../../support/request-loop";
import { envoyBin, failures, wasmFile } from "../support";
import { examplesDir, renderEnvoyYaml } from "../../support/examples";
import { newKey, startJwksServer, type JwksServer, type SigningKey } from "../../support/jwt";

export const WORKERS = 2;
/** Envoy's own cap on `max_request_headers_kb` (a larger value is refused at startup) */
export const MAX_HEADERS_KB = 8192;

export interface ExampleStack {
  envoy: RunningEnvoy;
  simulator: Simulator;
  upstream: Upstream;
  jwks: JwksServer;
  /** the key the JWKS server publishes */
  key: SigningKey;
  stop(): Promise<void>;
}

export interface ExampleOptions {
  /** the HTTP connection manager's `max_request_headers_kb`; default: Envoy's (60) */
  headersKb?: number;
  /** default: examples/simulator-seed.json */
  seed?: Seed;
  /** further clusters served by the simulator (e.g. a portal's) */
  clusters?: string[];
  /** replaces the plugin configuration of the envoy.yaml */
  configuration?: object;
  /** no access log, wasm logs from info up: for many requests */
  quiet?: boolean;
}

const defaultSeed = () => JSON.parse(readFileSync(resolve(examplesDir, "simulator-seed.json"), "utf8")) as Seed;

const cluster = (name: string, port: number) => ({
  name, type: "STATIC",
  load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: port } } } }] }] },
});

export async function startExample(example: string, o: ExampleOptions = {}): Promise<ExampleStack> {
  const key = newKey("hostile");
  const jwks = await startJwksServer([key]);
  const simulator = await startSimulator({ seed: o.seed ?? defaultSeed(), logLimit: 100_000 });
  const upstream = await startUpstream();
  const stopServers = async () => { await upstream.stop(); await simulator.close(); await jwks.close(); };
  try {
    const bootstrap = renderEnvoyYaml(example, {
      LISTENER_PORT: 0, ADMIN_PORT: 0, APP_PORT: upstream.port, BACKEND_PORT: simulator.port, JWKS_PORT: jwks.port, WASM_FILE: wasmFile,
    });
    const listener = bootstrap.static_resources.listeners[0];
    listener.connection_balance_config = { exact_balance: {} };
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    if (o.headersKb !== undefined) hcm.max_request_headers_kb = o.headersKb;
    if (o.quiet) delete hcm.access_log;
    const wasm = hcm.http_filters.find((f: any) => f.name === "envoy.filters.http.wasm").typed_config.config;
    if (o.configuration) wasm.configuration.value = JSON.stringify(o.configuration);
    for (const name of o.clusters ?? []) bootstrap.static_resources.clusters.push(cluster(name, simulator.port));
    const envoy = await startEnvoy({
      bin: envoyBin, concurrency: WORKERS, bootstrap: { appPort: upstream.port, standalone: bootstrap },
      ...(o.quiet && { componentLogLevel: "wasm:info" }),
    });
    return { envoy, simulator, upstream, jwks, key, stop: async () => { await envoy.stop(); await stopServers(); } };
  } catch (e) {
    await stopServers();
    throw e;
  }
}

/** Envoy's CPU time so far (user + system, all threads), in ms; 10 ms resolution */
export function cpuMs(envoy: RunningEnvoy): number {
  const fields = readFileSync(`/proc/${envoy.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
}

/** the memory.pages gauge (sum over the VMs), read once every VM has recorded its memory (1 s ticks) */
export async function memoryPages(envoy: RunningEnvoy): Promise<number> {
  await sleep(1200);
  return (await moduleStats(envoy))["memory.pages"] ?? 0;
}

/**
 * `count` requests at once, each on its own connection: the listener's exact balance gives each
 * worker its share (requests one after the other may all land on one worker)
 */
export const atOnce = <T>(count: number, one: () => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: count }, one));

/** connections each worker accepted on the listener */
export async function workerConnections(envoy: RunningEnvoy): Promise<number[]> {
  const stats = await envoy.stats("^listener\\.127\\.0\\.0\\.1_\\d+\\.worker_\\d+\\.downstream_cx_total$");
  return Array.from({ length: WORKERS }, (_, i) => Object.entries(stats).find(([k]) => k.includes(`.worker_${i}.`))?.[1] ?? 0);
}

export { failures };
