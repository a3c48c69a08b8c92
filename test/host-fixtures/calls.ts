// proxy_http_call from a stream, answered on the root context, which then resumes or answers
// the paused request through proxy_set_effective_context. Request headers: x-test (call,
// call-no-authority, call-many), x-cluster, x-timeout. An answer with header x-trap traps.
// Configuration "fetch" makes on_configure call cluster "system" from the root context.
import * as abi from "./lib/abi";
import {
  addHeader, bytes, getBuffer, getHeader, log, or, pairs, parseU32, ptr, RET, returned, sendLocalResponse,
  status, text,
} from "./lib/util";

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

const waiting = new Map<u32, u32>();

function call(cluster: string, headers: string[], timeout: u32): u32 {
  const c = bytes(cluster);
  const h = pairs(headers);
  const b = bytes("ping");
  const result = abi.proxy_http_call(ptr(c), c.byteLength, ptr(h), h.byteLength, ptr(b), b.byteLength, 0, 0, timeout, RET + 8);
  log(2, "http_call " + cluster + " = " + result.toString());
  return result;
}

export function proxy_on_configure(root: u32, size: u32): bool {
  if (or(getBuffer(7, 0, size), "") == "fetch") call("system", [":method", "GET", ":path", "/config", ":authority", "system"], 0);
  return true;
}

export function proxy_on_request_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  const test = or(getHeader(0, "x-test"), "");
  const cluster = or(getHeader(0, "x-cluster"), "backend");
  const timeout = parseU32(getHeader(0, "x-timeout"));
  let list: string[] = [":method", "GET", ":path", "/auth?x=1", ":authority", "backend.example", "x-from", "fixture"];
  if (test == "call-no-authority") list = [":method", "GET", ":path", "/auth", "host", "backend.example"];
  if (test == "call-many") for (let i = 0; i < 1025; i++) list = list.concat(["h" + i.toString(), "v"]);
  const result = call(cluster, list, timeout);
  if (result != 0) {
    sendLocalResponse(500, "dispatch failed", "dispatch status " + result.toString(), []);
    return 0;
  }
  waiting.set(load<u32>(RET + 8), context);
  return 1;
}

export function proxy_on_http_call_response(root: u32, callId: u32, headers: u32, bodySize: u32, trailers: u32): void {
  if (getHeader(6, "x-trap") !== null) unreachable();
  const code = or(getHeader(6, ":status"), "-");
  const body = or(getBuffer(4, 0, bodySize), "-");
  abi.proxy_get_status(RET + 8, RET, RET + 4);
  const statusCode = load<u32>(RET + 8);
  const message = text(returned());
  log(2, "response " + callId.toString() + " root " + root.toString() + " headers " + headers.toString() + " body " + body +
    " trailers " + trailers.toString() + " :status " + code + " get_status " + statusCode.toString() + " " + message);
  if (!waiting.has(callId)) return;
  const context = waiting.get(callId);
  waiting.delete(callId);
  const effective = abi.proxy_set_effective_context(context);
  if (effective != 0) {
    log(3, "set_effective_context(" + context.toString() + ") = " + effective.toString());
    return;
  }
  getHeader(6, ":status");
  log(2, "call response map through the stream: " + status.toString());
  if (headers == 0) {
    sendLocalResponse(502, "backend failed", "get_status " + statusCode.toString() + " " + message, []);
  } else if (code == "200") {
    addHeader(0, "x-auth", "ok");
    addHeader(0, "x-call-body", body);
    abi.proxy_continue_stream(0);
  } else {
    sendLocalResponse(403, "backend denied", "status " + code + " body " + body, []);
  }
}
