// What the "with filter" Envoy runs: a wasm module, its plugin configuration, the backend it
// calls and the requests to send. Register new targets (e.g. the real module against
// tools/simulator) in `targets`; `--target <name>` picks one.
import { buildFixture } from "../tools/envoy/fixture/build";
import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import { repoRoot } from "../tools/envoy/locate";
import { spawnSimulator, spawnUpstream } from "./child-server";
import { demoWithRules } from "./mapping-rules";

export interface Backend {
  /** clusters to add to the bootstrap, name → port on 127.0.0.1 */
  clusters: Record<string, number>;
  stop(): Promise<void>;
  /** base URL of a 3scale simulator backend (its /__sim/ control API), when it is one */
  url?: string;
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
  /** when set, each load connection cycles through these paths instead of `path` */
  paths?: string[];
}

export const BACKEND_CLUSTER = "outbound|443||su1.3scale.net";

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

/** `backend.cache` of the plugin configuration (seconds, seconds, entries) */
export interface CacheConfig {
  authorization_ttl: number;
  report_interval: number;
  max_entries: number;
}

export const DEFAULT_CACHE: CacheConfig = { authorization_ttl: 10, report_interval: 10, max_entries: 10000 };

/** user keys of bench/seed.json's applications bench-app-1 … bench-app-8 */
export const BENCH_USER_KEYS = Array.from({ length: 8 }, (_, i) => `bench-user-key-${i + 1}`);

export interface AuthrepTargetOptions {
  /** `backend.cache`; absent: no cache, one synchronous authrep per request */
  cache?: CacheConfig;
  /** distinct credentials the load cycles through (1–8); default: the single `bench-user-key` */
  users?: number;
  /** realistic mapping rules added to the demo service (bench/mapping-rules.ts); default none */
  rules?: number;
}

/**
 * The demo plugin configuration, with `backend.cache` when asked for and `rules` realistic
 * mapping rules (bench/mapping-rules.ts) before its first service's own.
 */
export function authrepConfiguration(cache?: CacheConfig, rules = 0): string {
  const text = readFileSync(resolve(repoRoot, "examples/demo/plugin-config.json"), "utf8");
  if (!cache && rules === 0) return text;
  const config = demoWithRules(text, rules) as { backend: Record<string, unknown> };
  if (cache) config.backend.cache = cache;
  return JSON.stringify(config);
}

/** The test fixture doing nothing but continue: the floor of any wasm filter's cost in Envoy. */
async function noopTarget(): Promise<FilterTarget> {
  return { ...(await fixtureTarget()), name: "fixture (continue, no work: a wasm filter's floor)", configuration: "continue" };
}

/** The real module (build/authrep.wasm) with the demo configuration against the simulator. */
export async function authrepTarget(o: AuthrepTargetOptions = {}): Promise<FilterTarget> {
  const users = o.users ?? 0;
  if (users > BENCH_USER_KEYS.length) throw new Error(`at most ${BENCH_USER_KEYS.length} distinct users (bench/seed.json)`);
  const cache = o.cache ? `, cache ttl ${o.cache.authorization_ttl} s, reports every ${o.cache.report_interval} s` : "";
  const rules = o.rules ? `, ${o.rules} extra mapping rules` : "";
  return {
    name: o.cache
      ? `authrep-wasm (cache on${cache}, ${Math.max(users, 1)} user key(s)${rules}, simulator backend)`
      : `authrep-wasm (authrep per request${rules}, simulator backend)`,
    wasmFile: resolve(repoRoot, "build/authrep.wasm"),
    configuration: authrepConfiguration(o.cache, o.rules),
    startBackend: async () => {
      const sim = await spawnSimulator(resolve(repoRoot, "bench/seed.json"));
      return { clusters: { [BACKEND_CLUSTER]: sim.port }, stop: sim.stop, url: `http://127.0.0.1:${sim.port}` };
    },
    path: "/products/1?user_key=bench-user-key",
    headers: {},
    ...(users > 0 && { paths: BENCH_USER_KEYS.slice(0, users).map((key, i) => `/products/${i + 1}?user_key=${key}`) }),
  };
}

export const targets: Record<string, () => Promise<FilterTarget>> = {
  authrep: () => authrepTarget(),
  fixture: fixtureTarget,
  noop: noopTarget,
};
