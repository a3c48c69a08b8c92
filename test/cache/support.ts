// The built module with `backend.cache` on the in-process host (two workers by default), in
// front of either the real 3scale simulator (seeded like the e2e tests, its clock frozen and
// moved with the host's) or a test handler. Every backend call goes through `gateway.backend`,
// so a test can break the backend for a while and then hand calls back to the simulator.
import { ProxyWasmHost, type SharedState } from "../../tools/host";
import type { CallAnswer, Header, HttpCallRecord, RequestResult } from "../../tools/host/types";
import { Simulator, startSimulator } from "../../tools/simulator/server";
import { seed } from "../e2e/support";
import { BACKEND_CLUSTER, service } from "../support/configs";
import { header, requestHeaders, WASM } from "../support/module";

export const USER_SERVICE = "2555417900001";
export const APP_SERVICE = "7";
/** the hosts the two seeded services answer */
export const API = "api.example.com";
export const APPS = "apps.example.com";
/** the simulator's frozen start: on a minute boundary, so the trial plan's minute starts with the test */
export const START_MS = Date.UTC(2024, 4, 15, 10, 0, 0);
/**
 * the host's clock starts at 0 and moves with the simulator's: near an epoch time its float ms
 * give nanoseconds only exact to ~256 ns, so a ms boundary could read as the ms before
 */
export const HOST_START_MS = 0;
/** the module's tick period: reports are sent from ticks */
export const TICK_MS = 1000;
export const PREFIX = "authrep_wasm.";

/** the seeded user-key service: GET / → hits 1; GET /products/ → products 1 (a child of hits) */
export function userService(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...service({ authorities: [API] }), ...extra };
}

/** the seeded app-id service (app-1 / key-1): GET / → hits 1, GET /double → hits 2 more */
export function appService(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...service({
      id: APP_SERVICE, token: "tok-7", authorities: [APPS],
      mapping_rules: [
        { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
        { method: "GET", pattern: "/double", usages: [{ name: "hits", delta: 2 }] },
      ],
    }),
    ...extra,
  };
}

export interface CacheSettings {
  authorization_ttl?: number;
  report_interval?: number;
  max_entries?: number;
  report_retries?: number;
}

export interface ConfigOptions {
  /** backend.cache; null leaves it out (the reference behaviour) */
  cache?: CacheSettings | null;
  failure_policy?: Record<string, unknown>;
  services?: unknown[];
  /** backend.upstream.timeout, ms */
  timeout?: number;
}

export function cachedConfig(o: ConfigOptions = {}): Record<string, unknown> {
  const backend: Record<string, unknown> = {
    name: "backend",
    upstream: { name: BACKEND_CLUSTER, url: "https://su1.3scale.net/", timeout: o.timeout ?? 5000 },
  };
  if (o.cache !== null) backend.cache = o.cache ?? {};
  const c: Record<string, unknown> = { api: "v1", backend, services: o.services ?? [userService(), appService()] };
  if (o.failure_policy) c.failure_policy = o.failure_policy;
  return c;
}

export type Backend = (call: HttpCallRecord) => CallAnswer | Promise<CallAnswer>;

export interface Gateway {
  host: ProxyWasmHost;
  /** the simulator, when started with one */
  sim?: Simulator;
  /** answers every backend call; default: the simulator (or 200 without one) */
  backend: Backend;
  /** passes a call on to the simulator */
  forward: Backend;
  configure(configuration: object): Promise<void>;
  /** authrep calls made by the workers so far */
  authreps(): HttpCallRecord[];
  /** report calls (POST /transactions.xml) made by the workers so far */
  reports(): HttpCallRecord[];
  /** a module metric's value (counter, gauge) or sample count (histogram); 0 when never defined */
  metric(name: string): number;
  /** moves both clocks, tick by tick, letting calls land in between */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** true: a new seeded simulator (closed with the gateway); or one to share (left open) */
  simulator?: boolean | Simulator;
  concurrency?: number;
  /** shared data to share with another host (another generation of the plugin's VMs) */
  shared?: SharedState;
  /** the backend cluster is the simulator's URL, called by the host itself (`backend` is not used) */
  direct?: boolean;
}

export async function gateway(configuration: object, o: GatewayOptions = {}): Promise<Gateway> {
  const own = o.simulator === true;
  const sim = o.simulator instanceof Simulator ? o.simulator : own ? await startSimulator({ seed, now: START_MS }) : undefined;
  const forward: Backend = sim ? (call) => toSimulator(sim, call) : () => ({ status: 200 });
  const workerCalls = () => g.host.calls.filter((c) => c.instance !== "canary");
  const g: Gateway = {
    host: undefined as unknown as ProxyWasmHost,
    sim,
    backend: forward,
    forward,
    configure: async (cfg) => {
      const r = await g.host.configure(JSON.stringify(cfg));
      if (!r.accepted) throw new Error(`configuration rejected: ${r.error}\n${r.logs.map((l) => l.message).join("\n")}`);
    },
    authreps: () => workerCalls().filter(isAuthrep),
    reports: () => workerCalls().filter(isReport),
    metric: (name) => g.host.metric(PREFIX + name)?.value ?? 0,
    advance: async (ms) => {
      for (let left = ms; left > 0; left -= TICK_MS) {
        const step = Math.min(TICK_MS, left);
        sim?.advance(step);
        g.host.advance(step);
        await g.host.idle();
      }
    },
    close: async () => {
      await g.host?.close();
      if (own) await sim?.close();
    },
  };
  try {
    g.host = await ProxyWasmHost.create({
      wasm: WASM,
      concurrency: o.concurrency ?? 2,
      startTimeMs: HOST_START_MS,
      hangTimeoutMs: 10_000,
      ...(o.shared && { shared: o.shared }),
      clusters: { [BACKEND_CLUSTER]: o.direct && sim ? sim.url : (call) => g.backend(call) },
    });
    await g.configure(configuration);
  } catch (e) {
    await g.close();
    throw e;
  }
  return g;
}

export function isAuthrep(call: HttpCallRecord): boolean {
  return (header(call, ":path") ?? "").includes("/transactions/authrep.xml");
}

export function isReport(call: HttpCallRecord): boolean {
  return header(call, ":method") === "POST" && (header(call, ":path") ?? "").includes("/transactions.xml");
}

/** a backend that answers reports with `report` and everything else through `other` */
export function reportsAnswer(report: CallAnswer, other: Backend): Backend {
  return (call) => (isReport(call) ? report : other(call));
}

/** the decoded form parameters of a report */
export function reportParams(call: HttpCallRecord): URLSearchParams {
  const body = call.body;
  return new URLSearchParams(typeof body === "string" ? body : Buffer.from(body).toString("latin1"));
}

/** the decoded query of an authrep */
export function authrepParams(call: HttpCallRecord): URLSearchParams {
  return new URLSearchParams((header(call, ":path") ?? "").split("?").slice(1).join("?"));
}

/** the call performed against the simulator over HTTP, answered as Envoy would pass it on */
async function toSimulator(sim: Simulator, call: HttpCallRecord): Promise<CallAnswer> {
  const pseudo = (name: string) => header(call, name) ?? "";
  const headers = call.headers.filter(([n]) => !n.startsWith(":")).map(([n, v]) => [n, String(v)] as [string, string]);
  const body = call.body;
  const hasBody = typeof body === "string" ? body.length > 0 : body.length > 0;
  try {
    const res = await fetch(sim.url + pseudo(":path"), {
      method: pseudo(":method"),
      headers,
      ...(hasBody && { body: typeof body === "string" ? body : Buffer.from(body) }),
    });
    const answer: Header[] = [];
    res.headers.forEach((v, n) => answer.push([n, v]));
    return { status: res.status, headers: answer, body: Buffer.from(await res.arrayBuffer()) };
  } catch {
    return "refused"; // a dropped connection before the answer: Envoy's local 503
  }
}

// --- requests -------------------------------------------------------------------------------

export interface Ask {
  worker?: number;
  path?: string;
}

/** a request of the user-key service with user key `key` (query string) */
export function user(g: Gateway, key: string, o: Ask = {}): Promise<RequestResult> {
  const path = o.path ?? "/";
  const sep = path.includes("?") ? "&" : "?";
  return g.host.request({ headers: requestHeaders(`${path}${sep}user_key=${encodeURIComponent(key)}`, [], "GET", API), worker: o.worker });
}

/** a request of the app-id service (app key optional) */
export function app(g: Gateway, id: string, key: string | null, o: Ask = {}): Promise<RequestResult> {
  const headers: Header[] = [["x-app-id", id]];
  if (key !== null) headers.push(["x-app-key", key]);
  return g.host.request({ headers: requestHeaders(o.path ?? "/", headers, "GET", APPS), worker: o.worker });
}

/** a promise-returning gate: calls wait on `wait` until `open` */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** lets pending host callbacks (call dispatch, setImmediate) run */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise(setImmediate);
}
