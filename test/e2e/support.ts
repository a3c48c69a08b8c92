// Real Envoy + build/authrep.wasm + the 3scale simulator + the echo upstream, all on
// 127.0.0.1 with free ports. Each suite starts its own set and stops it.
import { afterEach } from "vitest";
import { request, type IncomingHttpHeaders } from "node:http";
import { resolve } from "node:path";
import { startEnvoy, type RunningEnvoy } from "../../tools/envoy/envoy";
import { envoyForTests, repoRoot } from "../../tools/envoy/locate";
import { startSimulator, type Simulator } from "../../tools/simulator/server";
import type { Seed } from "../../tools/simulator/seed";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { BACKEND_CLUSTER } from "../support/configs";

export const envoyBin = envoyForTests();
export const wasmFile = resolve(repoRoot, "build/authrep.wasm");

export const SERVICE_ID = "2555417900001";
export const SERVICE_TOKEN = "st-6e2d";

/** one user-key service, one app-id service, a trial plan of 3 hits a minute */
export const seed: Seed = {
  services: [
    {
      id: SERVICE_ID, providerKey: "pk", mode: "1", tokens: [SERVICE_TOKEN],
      metrics: [{ name: "hits" }, { name: "products", parent: "hits" }],
      plans: [{ name: "Basic" }, { name: "Trial", limits: [{ metric: "hits", period: "minute", max: 3 }] }],
      applications: [
        { id: "uk-basic", plan: "Basic", userKey: "uk-1" },
        { id: "uk-odd", plan: "Basic", userKey: "a&b=c%d e+f" },
        { id: "uk-trial", plan: "Trial", userKey: "uk-trial" },
      ],
    },
    {
      id: "7", providerKey: "pk", mode: "2", tokens: ["tok-7"],
      metrics: [{ name: "hits" }],
      plans: [{ name: "Basic" }],
      applications: [{ id: "app-1", keys: ["key-1"] }],
    },
  ],
};

export interface Stack {
  envoy: RunningEnvoy;
  simulator: Simulator;
  upstream: Upstream;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** the backend cluster's port; default: the simulator's */
  backendPort?: number;
}

export async function startStack(pluginConfig: object, o: StackOptions = {}): Promise<Stack> {
  const simulator = await startSimulator({ seed });
  const upstream = await startUpstream();
  try {
    const envoy = await startEnvoy({
      bin: envoyBin,
      bootstrap: {
        appPort: upstream.port,
        clusters: { [BACKEND_CLUSTER]: o.backendPort ?? simulator.port },
        wasm: { wasmFile, configuration: JSON.stringify(pluginConfig), name: "e2e.authrep-wasm" },
      },
    });
    return {
      envoy, simulator, upstream,
      stop: async () => { await envoy.stop(); await upstream.stop(); await simulator.close(); },
    };
  } catch (e) {
    await upstream.stop();
    await simulator.close();
    throw e;
  }
}

export interface Answer {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

/**
 * One request on a fresh connection (so requests spread over Envoy's workers). node:http, not
 * fetch: fetch does not let a test choose the Host header, and service selection depends on it.
 */
export function send(envoy: RunningEnvoy, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // maxHeaderSize: Envoy's answers to hostile requests may echo a large Host (node's default is 16 KiB)
    const req = request({ host: "127.0.0.1", port: envoy.port, path, method, headers, agent: false, maxHeaderSize: 8 * 1024 * 1024 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** sends a request and closes the connection after `ms` without waiting for the answer */
export function sendAndLeave(envoy: RunningEnvoy, path: string, headers: Record<string, string>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port: envoy.port, path, headers, agent: false });
    req.on("error", () => resolve());
    req.on("response", () => resolve());
    req.end();
    setTimeout(() => { req.destroy(); resolve(); }, ms);
  });
}

/** what a test started; `stopAfterEach` stops it */
export interface Started { envoy?: RunningEnvoy; simulator?: Simulator; upstream?: Upstream }

/** an object the tests of a file put their components in, stopped after each test */
export function stopAfterEach(): Started {
  const started: Started = {};
  afterEach(async () => {
    await started.envoy?.stop();
    await started.upstream?.stop();
    await started.simulator?.close();
    delete started.envoy;
    delete started.upstream;
    delete started.simulator;
  });
  return started;
}

export interface StartOptions {
  seed: Seed;
  /** the plugin configuration text */
  configuration: string;
  /** the plugin's name in Envoy */
  name: string;
  /** further cluster names served by the simulator (e.g. the portal's) */
  clusters?: string[];
  /** the listener through file-based LDS, so `envoy.reconfigure` can change the plugin */
  dynamicListener?: boolean;
  /** no access log and wasm logs from info up: for high request rates */
  quiet?: boolean;
  /** runs before Envoy starts (e.g. faults the first portal fetch must meet) */
  prepare?: (simulator: Simulator) => void;
}

/** the simulator, the echo upstream and Envoy with the module, each put into `started` as it starts */
export async function startInto(started: Started, o: StartOptions): Promise<Required<Started>> {
  const simulator = started.simulator = await startSimulator({ seed: o.seed, logLimit: 100_000 });
  o.prepare?.(simulator);
  const upstream = started.upstream = await startUpstream();
  const clusters = Object.fromEntries([BACKEND_CLUSTER, ...(o.clusters ?? [])].map((name) => [name, simulator.port]));
  const envoy = started.envoy = await startEnvoy({
    bin: envoyBin,
    dynamicListener: o.dynamicListener,
    ...(o.quiet && { componentLogLevel: "wasm:info" }),
    bootstrap: { appPort: upstream.port, clusters, accessLog: !o.quiet, wasm: { wasmFile, configuration: o.configuration, name: o.name } },
  });
  return { envoy, simulator, upstream };
}

/**
 * Envoy's log lines telling of a trap (tools/envoy/FACTS.md) or a critical log line of the
 * module itself; Envoy's own critical "Plugin … failed to load" is expected when a reload is rejected
 */
const FAILURE = /Function: proxy_\w+ failed|RuntimeError|wasm_fail_stream|\[critical\]\[wasm\] \S+ wasm log/;
export const failures = (envoy: RunningEnvoy) => (envoy.stderr() + envoy.stdout()).split("\n").filter((l) => FAILURE.test(l));

