// The module's exports that Envoy calls (docs/design.md §2). Each callback refreshes the
// log threshold from the host, then dispatches to the context it names (call answers and queue
// wake-ups to the handler recorded for them, calls.ts), and may collect garbage on the way out
// (runtime/gc.ts). Unknown context ids (never expected from Envoy) never trap:
// root callbacks for them are ignored, and the request of a stream the module does not know is
// denied.
import { Action } from "./enums";
import { answerUnknownStream, createRootContext, HttpContext, RootContext } from "./context";
import * as host from "./host";
import { LogLevel, setLogSink, setLogThreshold } from "../runtime/log";
import { collectIfDue, collectNow } from "../runtime/gc";
import { deliverCallAnswer, deliverQueueReady, forgetRoot } from "./calls";

const roots = new Map<u32, RootContext>();
const streams = new Map<u32, HttpContext>();

function hostLog(level: i32, message: string): void {
  host.log(level, message);
}

/**
 * Envoy's log level is read in root-context callbacks (configure, every tick, call answers):
 * a change applies within a second, and stream callbacks, the hot path, make no extra host call
 */
function enterCallback(): void {
  setLogSink(hostLog);
  setLogThreshold(host.logLevel(LogLevel.Info));
}

export function proxy_abi_version_0_2_1(): void {}

/** the host's allocator: raw heap memory, no GC work (the host calls it inside imports) */
export function proxy_on_memory_allocate(size: usize): usize {
  return heap.alloc(size);
}

export function proxy_on_context_create(contextId: u32, parentId: u32): void {
  if (parentId == 0) {
    enterCallback();
    roots.set(contextId, createRootContext(contextId));
    return;
  }
  if (roots.has(parentId)) streams.set(contextId, roots.get(parentId).newHttpContext(contextId));
}

export function proxy_on_vm_start(rootId: u32, vmConfigSize: u32): bool {
  enterCallback();
  return roots.has(rootId) ? roots.get(rootId).onVmStart(vmConfigSize) : false;
}

export function proxy_on_configure(rootId: u32, configSize: u32): bool {
  enterCallback();
  const ok = roots.has(rootId) ? roots.get(rootId).onConfigure(configSize) : false;
  collectNow();
  return ok;
}

export function proxy_on_tick(rootId: u32): void {
  enterCallback();
  if (roots.has(rootId)) roots.get(rootId).onTick();
  collectIfDue();
}

export function proxy_on_queue_ready(rootId: u32, queueId: u32): void {
  enterCallback();
  deliverQueueReady(rootId, queueId);
  collectIfDue();
}

export function proxy_on_http_call_response(rootId: u32, callId: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
  enterCallback();
  deliverCallAnswer(rootId, callId, numHeaders, bodySize);
  if (roots.has(rootId)) roots.get(rootId).afterCallAnswer();
  collectIfDue();
}

export function proxy_on_request_headers(contextId: u32, numHeaders: u32, endOfStream: bool): Action {
  const action = streams.has(contextId) ? streams.get(contextId).onRequestHeaders(numHeaders, endOfStream) : answerUnknownStream();
  collectIfDue();
  return action;
}

export function proxy_on_response_headers(contextId: u32, numHeaders: u32, endOfStream: bool): Action {
  // an unknown stream's response is the denial its request got: nothing to check
  const action = streams.has(contextId) ? streams.get(contextId).onResponseHeaders(numHeaders, endOfStream) : Action.Continue;
  collectIfDue();
  return action;
}

export function proxy_on_done(contextId: u32): bool {
  if (!roots.has(contextId)) return true;
  enterCallback();
  const done = roots.get(contextId).onDone();
  collectIfDue();
  return done;
}

export function proxy_on_delete(contextId: u32): void {
  if (streams.has(contextId)) {
    streams.get(contextId).onDelete();
    streams.delete(contextId);
  } else if (roots.has(contextId)) {
    roots.delete(contextId);
    forgetRoot(contextId);
  }
  collectIfDue();
}
