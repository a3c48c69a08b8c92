// Real Envoy + build/authrep.wasm + the 3scale simulator + the echo upstream, all on
// 127.0.0.1 with free ports. Each suite starts its own set and stops it.
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
    const req = request({ host: "127.0.0.1", port: envoy.port, path, method, headers, agent: false }, (res) => {
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
