// Minimal proxy-wasm 0.2.1 module used to pin down real Envoy behaviour (tools/envoy/FACTS.md)
// and as a stand-in filter for the benchmark. Every request runs one "action":
//   the request header `x-fixture-action`, else the plugin configuration.
//   continue                       → pass the request on
//   reply <code> <details...>      → proxy_send_local_response
//   call <cluster> <timeout_ms>    → proxy_http_call; the outcome is added to the request as
//                                    `x-call-result`, then the request continues
//   metric                         → increment counter `fixture_requests`
//   log <level> <message...>       → proxy_log
//   metadata                       → hex of property `metadata` in request header `x-metadata-hex`
//   trap                           → unreachable (kills this worker's VM instance)
// Plugin configuration `reject` makes on_configure return 0.
// Lifecycle callbacks log `fixture: <callback> ...` at info level so tests can count them.

@external("env", "proxy_log")
declare function proxy_log(level: i32, ptr: usize, size: usize): i32;
@external("env", "proxy_get_buffer_bytes")
declare function proxy_get_buffer_bytes(type: i32, start: i32, max: i32, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_get_header_map_value")
declare function proxy_get_header_map_value(map: i32, keyPtr: usize, keySize: usize, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_get_header_map_pairs")
declare function proxy_get_header_map_pairs(map: i32, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_replace_header_map_value")
declare function proxy_replace_header_map_value(map: i32, keyPtr: usize, keySize: usize, valPtr: usize, valSize: usize): i32;
@external("env", "proxy_http_call")
declare function proxy_http_call(
  upPtr: usize, upSize: usize, hPtr: usize, hSize: usize, bPtr: usize, bSize: usize,
  tPtr: usize, tSize: usize, timeoutMs: u32, retId: usize,
): i32;
@external("env", "proxy_get_status")
declare function proxy_get_status(retCode: usize, retPtr: usize, retSize: usize): i32;
@external("env", "proxy_set_effective_context")
declare function proxy_set_effective_context(ctx: u32): i32;
@external("env", "proxy_continue_stream")
declare function proxy_continue_stream(stream: i32): i32;
@external("env", "proxy_send_local_response")
declare function proxy_send_local_response(
  code: u32, dPtr: usize, dSize: usize, bPtr: usize, bSize: usize, hPtr: usize, hSize: usize, grpc: i32,
): i32;
@external("env", "proxy_define_metric")
declare function proxy_define_metric(type: i32, namePtr: usize, nameSize: usize, retId: usize): i32;
@external("env", "proxy_increment_metric")
declare function proxy_increment_metric(id: u32, delta: i64): i32;
@external("env", "proxy_get_property")
declare function proxy_get_property(pathPtr: usize, pathSize: usize, retPtr: usize, retSize: usize): i32;

const PLUGIN_CONFIGURATION = 7;
const REQUEST_HEADERS = 0;
const HTTP_CALL_RESPONSE_HEADERS = 6;
const HTTP_CALL_RESPONSE_BODY = 4;
const OK = 0;
const INFO = 2;

// out-parameters written by the host: [0] pointer or value, [4] size, [8] spare
const RET = memory.data(16);

let config = "";
let requestsMetric: u32 = 0;
const pendingCalls = new Map<u32, u32>(); // call id → stream context id

export function proxy_abi_version_0_2_1(): void {}

// Host-returned blocks are raw allocations, freed in takeString/takeBytes.
export function malloc(size: usize): usize {
  return heap.alloc(size);
}

function log(level: i32, text: string): void {
  const b = String.UTF8.encode(text);
  proxy_log(level, changetype<usize>(b), b.byteLength);
}

/** Copies and frees the block the host returned through RET (empty unless status is OK). */
function takeBytes(status: i32): Uint8Array {
  const size = status == OK ? load<u32>(RET + 4) : 0;
  const out = new Uint8Array(size);
  const ptr = load<usize>(RET);
  if (size > 0) {
    memory.copy(out.dataStart, ptr, size);
    heap.free(ptr);
  }
  return out;
}

function takeString(status: i32): string {
  const b = takeBytes(status);
  return String.UTF8.decodeUnsafe(b.dataStart, b.length);
}

/** Keeps printable ASCII only, so any text can travel in a header value. */
function printable(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : " ";
  }
  return out;
}

function hex(b: Uint8Array): string {
  let out = "";
  for (let i = 0; i < b.length; i++) out += (<u32>b[i]).toString(16).padStart(2, "0");
  return out;
}

/** proxy-wasm pairs: u32 count, count×(u32 key len, u32 value len), then "key\0value\0"… */
function serializePairs(pairs: string[][]): ArrayBuffer {
  const encoded: ArrayBuffer[] = [];
  let size = 4 + 8 * pairs.length;
  for (let i = 0; i < pairs.length; i++) {
    for (let j = 0; j < 2; j++) {
      const e = String.UTF8.encode(pairs[i][j]);
      encoded.push(e);
      size += e.byteLength + 1;
    }
  }
  const buf = new ArrayBuffer(size);
  const base = changetype<usize>(buf);
  store<u32>(base, pairs.length);
  let data = base + 4 + 8 * pairs.length;
  for (let i = 0; i < encoded.length; i++) {
    const e = encoded[i];
    store<u32>(base + 4 + 4 * i, e.byteLength);
    memory.copy(data, changetype<usize>(e), e.byteLength);
    store<u8>(data + e.byteLength, 0);
    data += e.byteLength + 1;
  }
  return buf;
}

function getHeader(map: i32, name: string): string | null {
  const k = String.UTF8.encode(name);
  const status = proxy_get_header_map_value(map, changetype<usize>(k), k.byteLength, RET, RET + 4);
  return status == OK ? takeString(status) : null;
}

/** Names of all entries of a header map, comma-separated, in the host's order. */
function headerNames(map: i32): string {
  const pairs = takeBytes(proxy_get_header_map_pairs(map, RET, RET + 4));
  if (pairs.length == 0) return "";
  const base = pairs.dataStart;
  const count = load<u32>(base);
  const names = new Array<string>();
  let data = base + 4 + 8 * count;
  for (let i: u32 = 0; i < count; i++) {
    const keyLen = load<u32>(base + 4 + 8 * i);
    names.push(String.UTF8.decodeUnsafe(data, keyLen));
    data += keyLen + 1 + load<u32>(base + 8 + 8 * i) + 1;
  }
  return names.join(",");
}

function setRequestHeader(name: string, value: string): void {
  const k = String.UTF8.encode(name);
  const v = String.UTF8.encode(value);
  proxy_replace_header_map_value(REQUEST_HEADERS, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength);
}

function restFrom(words: string[], from: i32): string {
  return words.slice(from).join(" ");
}

export function proxy_on_context_create(ctx: u32, parent: u32): void {
  if (parent == 0) log(INFO, "fixture: on_context_create root=" + ctx.toString());
}

export function proxy_on_vm_start(root: u32, size: u32): u32 {
  log(INFO, "fixture: on_vm_start root=" + root.toString());
  return 1;
}

export function proxy_on_configure(root: u32, size: u32): u32 {
  config = takeString(proxy_get_buffer_bytes(PLUGIN_CONFIGURATION, 0, size, RET, RET + 4));
  log(INFO, "fixture: on_configure root=" + root.toString() + " config=" + config);
  const name = String.UTF8.encode("fixture_requests");
  proxy_define_metric(0, changetype<usize>(name), name.byteLength, RET);
  requestsMetric = load<u32>(RET);
  return config == "reject" ? 0 : 1;
}

export function proxy_on_request_headers(ctx: u32, numHeaders: u32, endOfStream: u32): u32 {
  const header = getHeader(REQUEST_HEADERS, "x-fixture-action");
  const words = (header !== null ? header : config).split(" ");
  const action = words[0];
  if (action == "reply") {
    const details = String.UTF8.encode(restFrom(words, 2));
    const body = String.UTF8.encode("fixture reply\n");
    const headers = serializePairs([["x-fixture", "reply"]]);
    proxy_send_local_response(
      <u32>parseInt(words[1]), changetype<usize>(details), details.byteLength, changetype<usize>(body), body.byteLength,
      changetype<usize>(headers), headers.byteLength, -1,
    );
    return 1;
  }
  if (action == "call") return httpCall(ctx, words[1], <u32>parseInt(words[2]));
  if (action == "trap") unreachable();
  if (action == "metric") proxy_increment_metric(requestsMetric, 1);
  if (action == "log") log(<i32>parseInt(words[1]), restFrom(words, 2));
  if (action == "metadata") {
    const path = String.UTF8.encode("metadata");
    const status = proxy_get_property(changetype<usize>(path), path.byteLength, RET, RET + 4);
    setRequestHeader("x-metadata-hex", status == OK ? hex(takeBytes(status)) : "status=" + status.toString());
  }
  return 0;
}

function httpCall(ctx: u32, cluster: string, timeoutMs: u32): u32 {
  const up = String.UTF8.encode(cluster);
  const headers = serializePairs([[":method", "GET"], [":path", "/fixture-call"], [":authority", "backend"]]);
  const status = proxy_http_call(
    changetype<usize>(up), up.byteLength, changetype<usize>(headers), headers.byteLength, 0, 0, 0, 0, timeoutMs, RET,
  );
  if (status != OK) {
    setRequestHeader("x-call-result", "call_status=" + status.toString());
    return 0;
  }
  pendingCalls.set(load<u32>(RET), ctx);
  return 1;
}

export function proxy_on_http_call_response(root: u32, callId: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
  const status = getHeader(HTTP_CALL_RESPONSE_HEADERS, ":status");
  const body = takeString(proxy_get_buffer_bytes(HTTP_CALL_RESPONSE_BODY, 0, bodySize, RET, RET + 4));
  // code goes to RET+8 so that the message lands where takeString reads it
  const message = takeString(proxy_get_status(RET + 8, RET, RET + 4));
  const code = load<u32>(RET + 8);
  const result =
    "headers=" + numHeaders.toString() + " names=" + headerNames(HTTP_CALL_RESPONSE_HEADERS) + " status=" + (status !== null ? status : "none") + " body_size=" +
    bodySize.toString() + " trailers=" + numTrailers.toString() + " get_status=" + code.toString() + ":" + message +
    " body=" + printable(body);
  log(INFO, "fixture: on_http_call_response " + result);
  const ctx = pendingCalls.get(callId);
  pendingCalls.delete(callId);
  if (proxy_set_effective_context(ctx) != OK) return; // the client went away
  setRequestHeader("x-call-result", result);
  proxy_continue_stream(0);
}

export function proxy_on_done(ctx: u32): u32 {
  return 1;
}

export function proxy_on_delete(ctx: u32): void {}
