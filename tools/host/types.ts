// Public types of the in-process proxy-wasm host (see host.ts for the API).
import type { LogLevelName } from "./abi";
import type { Value } from "./bytes";
import type { Header } from "./headers";
import type { SharedState } from "./shared";

export type { Header, LogLevelName, Value };

export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN";

export interface LogLine {
  /** "canary" or "worker <n>" */
  instance: string;
  level: LogLevelName;
  message: string;
}

export interface HttpCallResponse {
  headers: Header[];
  body: Value;
  trailers: Header[];
}

export interface HttpCallRecord {
  instance: string;
  rootContextId: number;
  callId: number;
  cluster: string;
  /** as the module sent them (names lower-cased, as Envoy stores them) */
  headers: Header[];
  body: Value;
  trailers: Header[];
  /** 0 = none */
  timeoutMs: number;
  /** cancelled: its instance died (canary, trap, close) before the answer */
  state: "pending" | "answered" | "reset" | "cancelled";
  /** what was delivered to the module, including Envoy's local 503/504 answers */
  response?: HttpCallResponse;
  /** a cluster handler threw; the call was answered as a reset */
  error?: string;
}

/**
 * How a cluster answers a call: a response (`:status` is added from `status`, default 200,
 * unless the headers carry one), or a failure as Envoy's async client reports it:
 * "reset" → 0 headers and proxy_get_status 11 "reset"; "refused" → local 503; "timeout" → local 504.
 */
export type CallAnswer =
  | { status?: number; headers?: Header[]; body?: Value; trailers?: Header[] }
  | "reset"
  | "refused"
  | "timeout";

export type CallHandler = (call: HttpCallRecord) => CallAnswer | Promise<CallAnswer>;

export interface HostOptions {
  /** path of a .wasm file, or its bytes */
  wasm: string | Uint8Array;
  /** worker VM instances (Envoy --concurrency); default 1 */
  concurrency?: number;
  /** property plugin_name (Istio: "<namespace>.<WasmPlugin name>"); default "authrep" */
  pluginName?: string;
  /** property plugin_root_id; default "" */
  rootId?: string;
  /** property plugin_vm_id and shared-data namespace; default "" (Istio) */
  vmId?: string;
  /** buffer 6 during on_vm_start; default empty */
  vmConfig?: Value;
  /** default FAIL_CLOSED */
  failurePolicy?: FailurePolicy;
  /** cluster name → "http(s)://host:port" (real request) or a handler; others are unknown */
  clusters?: Record<string, string | CallHandler>;
  /** WASI environment (vm_config.environment_variables) */
  env?: Record<string, string>;
  /** Envoy's `wasm` logger level: lower lines are dropped, proxy_get_log_level returns it; default "debug" */
  logLevel?: LogLevelName;
  /** virtual clock start, ms since the epoch; default Date.now() at create() */
  startTimeMs?: number;
  /** process-wide shared data/queues; pass one SharedState to several hosts to share them */
  shared?: SharedState;
  /** real-time ms after which an undecided request resolves as "hung"; default 5000 */
  hangTimeoutMs?: number;
}

export interface ConfigureResult {
  accepted: boolean;
  /** why Envoy would refuse the configuration */
  error?: string;
  logs: LogLine[];
}

export interface RequestSpec {
  headers: Header[];
  /** end_of_stream of on_request_headers; default true (no body) */
  endOfStream?: boolean;
  /** dynamic metadata, namespace → Struct JSON (property `metadata`) */
  metadata?: Record<string, Record<string, unknown>>;
  /** property source.address, "ip:port"; default "127.0.0.1:50000" */
  source?: string;
  /** property destination.address; default "127.0.0.1:10000" */
  destination?: string;
  /** worker index; default round-robin */
  worker?: number;
  /** upstream answer when the request continues; default 200 with no body */
  upstream?: { status?: number; headers?: Header[]; body?: Value };
  /** overrides HostOptions.hangTimeoutMs */
  hangTimeoutMs?: number;
  /** skip proxy_on_context_create: the module gets callbacks for a context id it never saw */
  unknownToModule?: boolean;
}

export interface RequestResult {
  /**
   * continue: went upstream (also a failed instance under FAIL_OPEN, see `failOpen`);
   * local_reply: the module's proxy_send_local_response; failed: trapped instance under
   * FAIL_CLOSED (503 wasm_fail_stream); reset: proxy_close_stream; hung: never decided.
   */
  outcome: "continue" | "local_reply" | "failed" | "reset" | "hung";
  /** the status the client got (upstream, local reply or 503) */
  status?: number;
  body?: string;
  /** response code details: local reply details (whitespace → "_"), wasm_fail_stream, via_upstream */
  details?: string;
  /** headers the module passed to proxy_send_local_response */
  replyHeaders?: Header[];
  /** grpc_status the module passed (-1 = none) */
  grpcStatus?: number;
  /** final response headers, after proxy_on_response_headers */
  responseHeaders?: Header[];
  /** request headers when the request was decided (what went upstream on continue) */
  requestHeaders: Header[];
  failOpen?: boolean;
  worker: number;
  contextId?: number;
  /** calls made by the module while this request was in flight, on its instance */
  httpCalls: HttpCallRecord[];
  /** lines logged by its instance while this request was in flight */
  logs: LogLine[];
}
