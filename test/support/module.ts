// Drives the built module (build/authrep.wasm) through the in-process Envoy-like host: one
// configured plugin, a backend cluster whose answers the test chooses, and request helpers.
import { resolve } from "node:path";
import { ProxyWasmHost } from "../../tools/host";
import type { CallAnswer, Header, HttpCallRecord, RequestResult } from "../../tools/host/types";
import { BACKEND_CLUSTER } from "./configs";

export const WASM = resolve(import.meta.dirname, "../../build/authrep.wasm");

export interface Plugin {
  host: ProxyWasmHost;
  /** set what the backend answers next (default 200) */
  answer: CallAnswer;
  close(): Promise<void>;
}

/** a host with the module configured; throws when the configuration is rejected */
export async function plugin(configuration: object | string, concurrency = 1): Promise<Plugin> {
  const p: Plugin = {
    host: undefined as unknown as ProxyWasmHost,
    answer: { status: 200 },
    close: async () => p.host.close(),
  };
  p.host = await ProxyWasmHost.create({
    wasm: WASM,
    concurrency,
    clusters: { [BACKEND_CLUSTER]: () => p.answer },
    hangTimeoutMs: 2000,
  });
  const text = typeof configuration === "string" ? configuration : JSON.stringify(configuration);
  const result = await p.host.configure(text);
  if (!result.accepted) throw new Error(`configuration rejected: ${result.error}\n${result.logs.map((l) => l.message).join("\n")}`);
  return p;
}

/** request headers as Envoy presents them: pseudo headers first */
export function requestHeaders(path: string, headers: Header[] = [], method = "GET", authority = "example.com"): Header[] {
  return [[":authority", authority], [":path", path], [":method", method], [":scheme", "https"], ...headers];
}

export function get(p: Plugin, path: string, headers: Header[] = [], method = "GET", authority = "example.com"): Promise<RequestResult> {
  return p.host.request({ headers: requestHeaders(path, headers, method, authority) });
}

export function header(call: HttpCallRecord, name: string): string | undefined {
  const h = call.headers.find(([k]) => k === name);
  return h === undefined ? undefined : String(h[1]);
}

/** the authrep call a request made, or undefined */
export function authrepCall(r: RequestResult): HttpCallRecord | undefined {
  return r.httpCalls.find((c) => (header(c, ":path") ?? "").includes("transactions/authrep.xml"));
}

/** the authrep query decoded the way the backend decodes it (form rules, last value wins) */
export function authrepParams(r: RequestResult): Record<string, string> {
  const call = authrepCall(r);
  if (!call) throw new Error(`no authrep call; outcome ${r.outcome} ${r.status} ${r.body}`);
  const query = (header(call, ":path") ?? "").split("?").slice(1).join("?");
  return Object.fromEntries(new URLSearchParams(query));
}
