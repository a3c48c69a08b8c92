// Root and stream contexts: what each import sees through "the current or effective context".
// Like in Envoy, data is attached to the context that owns it: the plugin configuration and
// http-call responses to the root context, request/response header maps to the stream.
import { BufferType, MapType } from "./abi";
import type { HeaderMap } from "./headers";
import type { BytePair } from "./pairs";
import type { HttpCallRecord, RequestSpec } from "./types";
import type { VmInstance } from "./vm";

export type Decision =
  | { outcome: "continue"; failOpen?: boolean }
  | {
      outcome: "local_reply";
      status: number;
      body: Uint8Array;
      headers: BytePair[];
      details: string;
      grpcStatus: number;
    }
  | { outcome: "failed" | "reset" | "hung" };

export abstract class Context {
  /** proxy_get_status; a failed http call sets it, and Envoy only clears the message after */
  statusCode = 0;
  statusMessage = "";

  constructor(
    readonly id: number,
    readonly vm: VmInstance,
  ) {}

  abstract readonly root: RootContext;

  headerMap(_type: MapType): HeaderMap | undefined {
    return undefined;
  }

  buffer(type: BufferType): Uint8Array | undefined {
    return type === BufferType.VmConfiguration ? this.vm.host.vmConfig : undefined;
  }
}

export interface CallResponse {
  headers: HeaderMap;
  body: Uint8Array;
  trailers: HeaderMap;
}

export class RootContext extends Context {
  /** set only while proxy_on_configure runs (Envoy's temp_plugin_) */
  configuration?: Uint8Array;
  /** set only while proxy_on_http_call_response runs */
  callResponse?: CallResponse;
  readonly pendingCalls = new Map<number, HttpCallRecord>();
  /** on_done answered false: alive (ticks, call answers) until the module calls proxy_done */
  pendingDone = false;
  private lastCallId = 0;

  get root(): RootContext {
    return this;
  }

  nextCallId(): number {
    return ++this.lastCallId;
  }

  override headerMap(type: MapType): HeaderMap | undefined {
    if (type === MapType.HttpCallResponseHeaders) return this.callResponse?.headers;
    if (type === MapType.HttpCallResponseTrailers) return this.callResponse?.trailers;
    return undefined;
  }

  override buffer(type: BufferType): Uint8Array | undefined {
    if (type === BufferType.HttpCallResponseBody) return this.callResponse?.body;
    if (type === BufferType.PluginConfiguration) return this.configuration;
    return super.buffer(type);
  }
}

export class StreamContext extends Context {
  /** false once the request continued: Envoy drops its pointer to the request header map */
  requestHeadersLive = true;
  /** response headers, during the response phase and on_log */
  response?: HeaderMap;
  /** the access-log phase reads the final maps again */
  inLog = false;
  /** proxy_set_property values, by NUL-joined path */
  readonly filterState = new Map<string, Uint8Array>();
  decision?: Decision;
  readonly decided: Promise<Decision>;
  private settle!: (decision: Decision) => void;

  constructor(
    id: number,
    vm: VmInstance,
    readonly root: RootContext,
    readonly request: HeaderMap,
    readonly spec: RequestSpec,
    readonly startNs: bigint,
  ) {
    super(id, vm);
    this.decided = new Promise((resolve) => (this.settle = resolve));
  }

  override headerMap(type: MapType): HeaderMap | undefined {
    if (type === MapType.RequestHeaders) return this.requestHeadersLive || this.inLog ? this.request : undefined;
    if (type === MapType.ResponseHeaders) return this.response;
    return undefined;
  }

  /** the first decision wins; later ones (e.g. continue after a local reply) change nothing */
  decide(decision: Decision): void {
    if (this.decision) return;
    this.decision = decision;
    if (decision.outcome === "continue") this.requestHeadersLive = false;
    this.settle(decision);
  }
}
