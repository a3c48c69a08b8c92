// The binding routes HTTP-call answers and shared-queue wake-ups (as the proxy-wasm Rust and Go
// SDKs do): each dispatched call is recorded with its handler and the context that made it, and
// `proxy_on_http_call_response` hands the answer to that handler with that context effective
// (the answer is read first: the host keeps it with the root context). When the caller is gone (a stream whose client left), the root context stays effective and the
// handler still runs (`CallAnswer.callerGone`): the cache and other waiting streams need the
// answer. Answers of unknown call ids are ignored.
import { BufferType, MapType, Status } from "./enums";
import * as host from "./host";
import { PairBlock } from "./pairs";
import { CallAnswer, CallHandler } from "../runtime/calls";

class Pending {
  constructor(public root: u32, public caller: u32, public handler: CallHandler) {}
}

/** calls waiting for their answer, by root context and call id (the host numbers calls per root) */
const pending = new Map<u64, Pending>();

function callKey(root: u32, callId: u32): u64 {
  return (<u64>root << 32) | <u64>callId;
}

/** makes an HTTP call for context `caller` of root context `root`; the host's status (Ok: `handler` gets the answer) */
export function dispatchCall(root: u32, caller: u32, cluster: string, headers: Array<string>, body: string, timeoutMs: u32, handler: CallHandler): Status {
  const result = host.httpCall(cluster, headers, body, timeoutMs);
  if (result.status == Status.Ok) pending.set(callKey(root, result.callId), new Pending(root, caller, handler));
  return result.status;
}

const NO_HEADERS = new PairBlock(0, 0);
const NO_BODY = new ArrayBuffer(0);

/**
 * the answer being delivered, read while the root context is effective (the host keeps the
 * answer there): the header block once, whole; the status of a call without answer; the body
 * when the handler reads it
 */
class HostCallAnswer extends CallAnswer {
  private headers: PairBlock = NO_HEADERS;
  private content: ArrayBuffer = NO_BODY;
  private failure: u32 = 0;
  private time: u64 = 0;

  read(numHeaders: u32, bodySize: u32, bodyLimit: u32): void {
    this.numHeaders = numHeaders;
    this.bodySize = bodySize;
    this.callerGone = false;
    this.time = 0;
    this.headers = numHeaders > 0 ? host.getHeaderBlock(MapType.HttpCallResponseHeaders) : NO_HEADERS;
    this.failure = numHeaders > 0 ? 0 : host.lastCallStatus();
    this.content = bodySize > 0 && bodySize <= bodyLimit ? host.getBuffer(BufferType.HttpCallResponseBody, bodySize) : NO_BODY;
  }

  header(name: string): string | null {
    return this.headers.find(name);
  }

  body(): ArrayBuffer {
    return this.content;
  }

  failureStatus(): u32 {
    return this.failure;
  }

  nowNs(): u64 {
    if (this.time == 0) this.time = host.nowNanoseconds();
    return this.time;
  }
}

/** one answer at a time: callbacks do not nest */
const ANSWER = new HostCallAnswer();

export function deliverCallAnswer(root: u32, callId: u32, numHeaders: u32, bodySize: u32): void {
  const key = callKey(root, callId);
  if (!pending.has(key)) return;
  const p = pending.get(key);
  pending.delete(key);
  ANSWER.read(numHeaders, bodySize, p.handler.bodyLimit());
  if (p.caller != root && host.setEffectiveContext(p.caller) != Status.Ok) {
    ANSWER.callerGone = true;
    host.setEffectiveContext(root);
  }
  p.handler.onAnswer(ANSWER);
}

/** a root context was deleted: the host answers none of its calls and wakes none of its queues any more */
export function forgetRoot(root: u32): void {
  const calls = pending.keys();
  for (let i = 0; i < calls.length; i++) if (pending.get(calls[i]).root == root) pending.delete(calls[i]);
  const ids = queues.keys();
  for (let i = 0; i < ids.length; i++) if (queues.get(ids[i]).root == root) queues.delete(ids[i]);
}

// --- shared queues ---------------------------------------------------------------------

export abstract class QueueHandler {
  abstract onQueueReady(queueId: u32): void;
}

class Registered {
  constructor(public root: u32, public handler: QueueHandler) {}
}

const queues = new Map<u32, Registered>();

/**
 * registers a shared queue for root context `root`, whose wake-ups go to `handler`; its id, or
 * 0 when the host refused
 */
export function registerQueue(root: u32, name: string, handler: QueueHandler): u32 {
  const result = host.registerQueue(name);
  if (result.status != Status.Ok) return 0;
  queues.set(result.id, new Registered(root, handler));
  return result.id;
}

/** a wake-up of a queue registered by `root`; others are ignored */
export function deliverQueueReady(root: u32, queueId: u32): void {
  if (queues.has(queueId) && queues.get(queueId).root == root) queues.get(queueId).handler.onQueueReady(queueId);
}
