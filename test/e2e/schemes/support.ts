// One example in a real Envoy, run one of its ways: as Istio would deploy wasmplugin.yaml (or
// trafficextension.yaml), or the standalone envoy.yaml as it is (ports substituted). Both against the 3scale simulator
// (examples/simulator-seed.json) and the echo upstream; a call returns what the client got and
// what the backend got.
import { resolve } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { BootstrapOptions } from "../../../tools/envoy/bootstrap";
import { startEnvoy } from "../../../tools/envoy/envoy";
import { startSimulator } from "../../../tools/simulator/server";
import { startUpstream } from "../../../tools/upstream/upstream";
import { envoyBin, send, wasmFile } from "../support";
import { examplesDir, istioFiles, readManifests, renderEnvoyYaml } from "../../support/examples";
import { istioBootstrap, type LoopbackPorts } from "./istio";

export type Variant = "wasmplugin.yaml" | "trafficextension.yaml" | "envoy.yaml";

/** the ways an example runs: each of its Istio files, and envoy.yaml */
export const variantsOf = (example: string) => [...istioFiles(example), "envoy.yaml"] as Variant[];

export interface Exchange {
  status: number;
  body: string;
  /** the credentials of each authrep call the backend received for this request */
  backend: Record<string, unknown>[];
}

/** one request with `Host: api.example.com` */
export type Call = (path: string, headers?: Record<string, string>) => Promise<Exchange>;

export const MISSING = { status: 403, body: "Authentication parameters missing\n", backend: [] };
export const DENIED = { status: 403, body: "Authentication failed\n" };

/** the request reached the echo upstream */
export const passed = (path: string) => ({ status: 200, body: expect.stringContaining(`"path":${JSON.stringify(path)}`) });

/** for a describe block: the example runs during its tests (`jwksPort` read when it starts) */
export function useScheme(example: string, variant: Variant, jwksPort?: () => number): Call {
  return useStack((ports) => schemeBootstrap(example, variant, ports), jwksPort);
}

/** `useScheme` for any bootstrap made from the loopback ports */
export function useStack(bootstrap: (ports: LoopbackPorts) => BootstrapOptions, jwksPort?: () => number): Call {
  let s: { call: Call; stop(): Promise<void> } | undefined;
  beforeAll(async () => { s = await startStack(bootstrap, jwksPort?.()); });
  afterAll(async () => { await s?.stop(); });
  return (path, headers) => s!.call(path, headers);
}

const CREDENTIALS = ["user_key", "app_id", "app_key"];

/** the credential parameters of an authrep call, decoded */
function credentials(params: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(CREDENTIALS.filter((k) => k in params).map((k) => [k, params[k]]));
}

/** Envoy's bootstrap for one way of running an example, every upstream on loopback */
export function schemeBootstrap(example: string, variant: Variant, ports: LoopbackPorts): BootstrapOptions {
  return variant !== "envoy.yaml"
    ? istioBootstrap(readManifests(example, variant), ports)
    : {
      appPort: ports.app,
      standalone: renderEnvoyYaml(example, {
        LISTENER_PORT: 0, ADMIN_PORT: 0, APP_PORT: ports.app, BACKEND_PORT: ports.backend, JWKS_PORT: ports.jwks, WASM_FILE: wasmFile,
      }),
    };
}

async function startStack(bootstrap: (ports: LoopbackPorts) => BootstrapOptions, jwksPort?: number) {
  const simulator = await startSimulator({ seed: resolve(examplesDir, "simulator-seed.json") });
  const upstream = await startUpstream();
  const ports = { app: upstream.port, backend: simulator.port, jwks: jwksPort };
  try {
    const envoy = await startEnvoy({ bin: envoyBin, bootstrap: bootstrap(ports) });
    const call: Call = async (path, headers = {}) => {
      simulator.resetLog();
      const r = await send(envoy, path, { host: "api.example.com", ...headers });
      const authreps = simulator.requests.filter((q) => q.pathname === "/transactions/authrep.xml");
      return { status: r.status, body: r.body, backend: authreps.map((q) => credentials(q.params)) };
    };
    return { call, stop: async () => { await envoy.stop(); await upstream.stop(); await simulator.close(); } };
  } catch (e) {
    await upstream.stop();
    await simulator.close();
    throw e;
  }
}
