// One HTTP stream: runs the pipeline on the request headers and either answers locally,
// continues, or pauses until the root context has the authrep answer.
import { Action, MapType, StreamType } from "../abi/enums";
import { HttpContext } from "../abi/context";
import * as host from "../abi/host";
import { decide } from "../pipeline/flow";
import { Decision, Outcome, authenticationFailed } from "../pipeline/reply";
import { PASSTHROUGH_HEADERS } from "../pipeline/passthrough";
import { HeaderSource, Request } from "../pipeline/request";
import { PairBlock } from "../abi/pairs";
import { MetadataSource } from "../pipeline/metadata";
import { JsonValue } from "../json/value";
import { decodeMetadata } from "../proto/struct";
import { AuthrepRootContext } from "./root";
import { countDecision } from "../telemetry/metrics";
import { Service } from "../config/types";

// the header every response gets, encoded once
const POWERED_BY = String.UTF8.encode("powered-by");
const THREESCALE = String.UTF8.encode("3scale");

export class AuthrepHttpContext extends HttpContext {
  /** rate-limit headers of an allowed request, added to the upstream's response */
  private responseHeaders: Array<string> | null = null;
  /** the service the request selected: its decision also counts in that service's counters */
  private service: Service | null = null;

  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    const root = this.root as AuthrepRootContext;
    const config = root.config;
    if (!config) return reply(authenticationFailed("authrep_not_configured"));
    // borrowed: read within this callback, unless the request waits (then kept, for the call's trace context)
    const headers = host.getHeaderBlock(MapType.RequestHeaders, true);
    const request = new Request(new BlockHeaders(headers), STREAM_METADATA);
    const decision = decide(config, request);
    this.service = request.service;
    let now: Decision | null = decision;
    if (decision.outcome == Outcome.Authrep) {
      const call = decision.call;
      now = call ? root.authorizer.authorize(call, this) : authenticationFailed("authrep_dispatch_failed");
      if (!now) {
        headers.keep();
        return Action.Pause;
      }
    }
    applyDecision(now, this.service);
    return now.outcome == Outcome.Continue ? Action.Continue : Action.Pause;
  }

  /** the backend's answer, with this stream as the effective context */
  resume(decision: Decision): void {
    applyDecision(decision, this.service);
    if (decision.outcome != Outcome.Continue) return;
    this.responseHeaders = decision.clientHeaders;
    host.continueStream(StreamType.HttpRequest);
  }

  /** the reference marks every response it sees */
  onResponseHeaders(numHeaders: u32, endOfStream: bool): Action {
    host.replaceHeaderBytes(MapType.ResponseHeaders, POWERED_BY, THREESCALE);
    const h = this.responseHeaders;
    if (h) for (let i = 0; i + 1 < h.length; i += 2) host.replaceHeader(MapType.ResponseHeaders, h[i], h[i + 1]);
    return Action.Continue;
  }
}

/** the request headers as the host's block: only the headers the pipeline asks for are decoded */
class BlockHeaders extends HeaderSource {
  constructor(private block: PairBlock) { super(); }

  get(name: string): string | null {
    return this.block.find(name);
  }
}

/** the stream's dynamic metadata: property `metadata`, an envoy.config.core.v3.Metadata message */
class StreamMetadata extends MetadataSource {
  load(): JsonValue | null {
    const bytes = host.getProperty(["metadata"]);
    return bytes ? decodeMetadata(changetype<usize>(bytes), <usize>bytes.byteLength) : null;
  }
}

/** stateless: reads the metadata of the stream being called back */
const STREAM_METADATA = new StreamMetadata();

/** a stream callback for a context the module never created or already deleted (abi/exports.ts) */
export function denyUnknownStream(): Action {
  return reply(authenticationFailed("authrep_unknown_stream"));
}

function reply(d: Decision): Action {
  applyDecision(d);
  return Action.Pause;
}

/** counts the decision, then sends the local reply or puts pass-through headers on the request (client copies removed) */
export function applyDecision(d: Decision, service: Service | null = null): void {
  countDecision(d, service);
  if (d.outcome == Outcome.Reply) {
    host.sendLocalResponse(d.status, d.details, d.body, d.clientHeaders);
    return;
  }
  const headers = d.upstreamHeaders;
  if (!headers) return;
  for (let i = 0; i < PASSTHROUGH_HEADERS.length; i++) host.removeHeader(MapType.RequestHeaders, PASSTHROUGH_HEADERS[i]);
  for (let i = 0; i + 1 < headers.length; i += 2) host.addHeader(MapType.RequestHeaders, headers[i], headers[i + 1]);
}
