// What the "with filter" Envoy runs: a wasm module, its plugin configuration, the backend it
// calls and the requests to send. Register new targets (e.g. the real module against
// tools/simulator) in `targets`; `--target <name>` picks one.
import { buildFixture } from "../test/envoy-fixtures/build";
import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import { repoRoot } from "../tools/envoy/locate";
import { spawnSimulator, spawnUpstream } from "./child-server";

export interface Backend {
  /** clusters to add to the bootstrap, name → port on 127.0.0.1 */
  clusters: Record<string, number>;
  stop(): Promise<void>;
}

export interface FilterTarget {
  /** label in the report */
  name: string;
  wasmFile: string;
  configuration: string;
  /** started before Envoy; in-process backends share the event loop with the load generator */
  startBackend(): Promise<Backend>;
  /** what the load generator requests, identical for the baseline */
  path: string;
  headers: Record<string, string>;
}

const BACKEND_CLUSTER = "outbound|443||su1.3scale.net";

/** The test fixture: one proxy_http_call per request to an echo backend, then continue. */
async function fixtureTarget(): Promise<FilterTarget> {
  return {
    name: "fixture (1 http_call per request)",
    wasmFile: await buildFixture(),
    configuration: `call ${BACKEND_CLUSTER} 1000`,
    startBackend: async () => {
      const echo = await spawnUpstream();
      return { clusters: { [BACKEND_CLUSTER]: echo.port }, stop: echo.stop };
    },
    path: "/bench",
    headers: {},
  };
}

/** The real module (build/authrep.wasm) with the demo configuration against the simulator. */
async function authrepTarget(): Promise<FilterTarget> {
  return {
    name: "authrep-wasm (authrep per request, simulator backend)",
    wasmFile: resolve(repoRoot, "build/authrep.wasm"),
    configuration: readFileSync(resolve(repoRoot, "examples/demo/plugin-config.json"), "utf8"),
    startBackend: async () => {
      const sim = await spawnSimulator(resolve(repoRoot, "bench/seed.json"));
      return { clusters: { [BACKEND_CLUSTER]: sim.port }, stop: sim.stop };
    },
    path: "/products/1?user_key=bench-user-key",
    headers: {},
  };
}

export const targets: Record<string, () => Promise<FilterTarget>> = { authrep: authrepTarget, fixture: fixtureTarget };
