// A plugin with a `system` object on the in-process host (two workers): the portal is a
// cluster handler whose answers the test sets per service id, and every fetch is recorded.
import { ProxyWasmHost } from "../../tools/host";
import type { CallAnswer, HttpCallRecord, LogLine } from "../../tools/host/types";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { header, requestHeaders, WASM } from "../support/module";

export const SYSTEM_CLUSTER = "outbound|443||tenant-admin.3scale.net";
export const TTL_SECONDS = 60;
/** the first tick (one tick period after configure) fetches; the next one spreads the result to the other worker */
export const TICK_MS = 1000;
export const SPREAD_MS = 2 * TICK_MS;

export interface Rule { http_method: string; pattern: string; metric_system_name?: string | null; delta: number; last: boolean }

/** a proxy-config document shaped like docs/backend-protocol.md §4.1 (with fields the module ignores) */
export function document(token: string | null, rules: Rule[]): object {
  return {
    proxy_config: {
      id: 92726, version: 3, environment: "production",
      content: {
        id: 2555417900001, name: "Products API", support_email: null,
        backend_authentication_type: token === null ? "provider_key" : "service_token",
        backend_authentication_value: token ?? "provider-key",
        proxy: {
          id: 124012, hosts: ["api.example.com"], policy_chain: [],
          proxy_rules: rules.map((r, i) => ({ id: i + 1, position: i + 1, parameters: [], querystring_parameters: {}, redirect_url: null, ...r })),
        },
      },
    },
  };
}

export const FETCHED_TOKEN = "fetched-token";
export const FETCHED_RULE: Rule = { http_method: "get", pattern: "/fetched/{id}", metric_system_name: "fetched", delta: 2, last: false };

export function systemConfig(o: { ttl?: number; token?: string; services?: unknown[] } = {}) {
  return config(o.services ?? [service()], {
    system: {
      name: "system",
      upstream: { name: SYSTEM_CLUSTER, url: "https://tenant-admin.3scale.net/base/?x=1", timeout: 2000 },
      token: o.token ?? "pat&1",
      ttl: o.ttl ?? TTL_SECONDS,
    },
  });
}

export interface Portal {
  host: ProxyWasmHost;
  /** what the portal answers next, by service id (default: a 404) */
  answers: Map<string, CallAnswer | (() => Promise<CallAnswer>)>;
  fetches(): HttpCallRecord[];
  /** the authrep query parameters of a request on `worker` */
  authrep(path: string, worker: number): Promise<Record<string, string>>;
  warnings(): string[];
  close(): Promise<void>;
}

export async function portal(configuration: object | string, answers: [string, CallAnswer][] = []): Promise<Portal> {
  const p: Portal = {
    host: undefined as unknown as ProxyWasmHost,
    answers: new Map(answers),
    fetches: () => p.host.calls.filter((c) => c.cluster === SYSTEM_CLUSTER && c.instance !== "canary"),
    authrep: async (path, worker) => {
      const r = await p.host.request({ headers: requestHeaders(path), worker });
      const call = r.httpCalls.find((c) => c.cluster === BACKEND_CLUSTER);
      if (!call) throw new Error(`no authrep call: ${r.status} ${r.body}`);
      return Object.fromEntries(new URLSearchParams((header(call, ":path") ?? "").split("?")[1]));
    },
    warnings: () => p.host.logs.filter((l: LogLine) => l.level === "warn").map((l) => l.message),
    close: () => p.host.close(),
  };
  p.host = await ProxyWasmHost.create({
    wasm: WASM,
    concurrency: 2,
    startTimeMs: Date.UTC(2024, 4, 15),
    clusters: {
      [BACKEND_CLUSTER]: () => ({ status: 200 }),
      [SYSTEM_CLUSTER]: (call) => {
        const id = decodeURIComponent((header(call, ":path") ?? "").split("/")[5] ?? "");
        const answer = p.answers.get(id) ?? { status: 404, body: "{}" };
        return typeof answer === "function" ? answer() : answer;
      },
    },
  });
  const result = await p.host.configure(typeof configuration === "string" ? configuration : JSON.stringify(configuration));
  if (!result.accepted) throw new Error(`configuration rejected: ${result.error}`);
  return p;
}

/** moves the virtual clock tick by tick; calls are answered between ticks, as in Envoy */
export async function advance(p: Portal, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= TICK_MS) {
    p.host.advance(Math.min(TICK_MS, left));
    await p.host.idle();
  }
}

export function ok(body: object): CallAnswer {
  return { status: 200, body: JSON.stringify(body) };
}
