// Typed wrappers over the raw imports. Blocks the host returns were allocated through our
// allocator (exports.ts, raw heap memory); each wrapper copies the bytes into a managed
// ArrayBuffer and frees the block, so callers only ever see managed values.
import * as raw from "./imports";
import { BufferType, MapType, MetricType, Status, StreamType } from "./enums";
import { PairBlock, decodePairs, encodePairsAt, pairsRoom } from "./pairs";
import { decodeUtf8Lossy, equalsUtf8, writeUtf8 } from "../text/utf8";
import { joinStrings } from "../text/builder";
import { SharedBytes, SharedText, SlotHead } from "../runtime/shared_data";

// out-parameters of host calls: pointer/size pairs and scalars (wasm32: 4-byte words)
const RET_PTR: usize = memory.data(8);
const RET_SIZE: usize = memory.data(8);
const RET_EXTRA: usize = memory.data(8);

/** copies and frees the block the host just returned through RET_PTR/RET_SIZE */
function takeReturnedBlock(): ArrayBuffer {
  const ptr = <usize>load<u32>(RET_PTR);
  const size = <i32>load<u32>(RET_SIZE);
  const out = new ArrayBuffer(size);
  if (ptr != 0) {
    memory.copy(changetype<usize>(out), ptr, <usize>size);
    heap.free(ptr);
  }
  return out;
}

function clearReturn(): void {
  store<u32>(RET_PTR, 0);
  store<u32>(RET_SIZE, 0);
}

function utf8(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

/**
 * The arguments of the host call being made, as UTF-8: one buffer reused by every call (the
 * host copies what it keeps before returning), grown geometrically, so a call allocates nothing.
 * `Args.of` starts a call's arguments, `text`/`pairs` append one and return its offset.
 */
class Args {
  static buffer: ArrayBuffer = new ArrayBuffer(1024);
  static used: usize = 0;

  static start(): void {
    Args.used = 0;
  }

  /** room for `size` more bytes; growing copies what the call already wrote */
  private static reserve(size: usize): usize {
    const need = Args.used + size;
    const old = Args.buffer;
    if (need > <usize>old.byteLength) {
      const grown = new ArrayBuffer(<i32>max(need, <usize>old.byteLength * 2));
      memory.copy(changetype<usize>(grown), changetype<usize>(old), Args.used);
      Args.buffer = grown;
    }
    return changetype<usize>(Args.buffer) + Args.used;
  }

  /** appends `s` as UTF-8; its byte length is `Args.length` until the next append */
  static text(s: string): usize {
    const at = Args.used;
    const len = writeUtf8(s, Args.reserve(<usize>s.length * 3));
    Args.used = at + len;
    Args.length = len;
    return at;
  }

  static bytes(ptr: usize, size: usize): usize {
    const at = Args.used;
    memory.copy(Args.reserve(size), ptr, size);
    Args.used = at + size;
    Args.length = size;
    return at;
  }

  static pairs(p: Array<string>): usize {
    const at = Args.used;
    const size = encodePairsAt(p, Args.reserve(pairsRoom(p)));
    Args.used = at + size;
    Args.length = size;
    return at;
  }

  static length: usize = 0;

  /** the address of an argument appended at offset `at` (valid until the next append) */
  static ptr(at: usize): usize {
    return changetype<usize>(Args.buffer) + at;
  }
}

// --- logging and time ------------------------------------------------------------------

export function log(level: i32, message: string): void {
  Args.start();
  const m = Args.text(message);
  raw.proxy_log(level, Args.ptr(m), Args.length);
}

/** the host's current log level, or `fallback` if it cannot tell */
export function logLevel(fallback: i32): i32 {
  return raw.proxy_get_log_level(RET_EXTRA) == Status.Ok ? <i32>load<u32>(RET_EXTRA) : fallback;
}

export function nowNanoseconds(): u64 {
  return raw.proxy_get_current_time_nanoseconds(RET_EXTRA) == Status.Ok ? load<u64>(RET_EXTRA) : 0;
}

export function nowMilliseconds(): u64 {
  return nowNanoseconds() / 1000000;
}

export function setTickPeriod(ms: u32): Status {
  return <Status>raw.proxy_set_tick_period_milliseconds(ms);
}

/** the current root context, whose on_done answered false, has finished: the host may delete it */
export function done(): Status {
  return <Status>raw.proxy_done();
}

// --- buffers ---------------------------------------------------------------------------

/** the whole buffer of that type (empty when unavailable) */
export function getBuffer(type: BufferType, maxSize: u32 = U32.MAX_VALUE): ArrayBuffer {
  clearReturn();
  if (raw.proxy_get_buffer_bytes(type, 0, maxSize, RET_PTR, RET_SIZE) != Status.Ok) return new ArrayBuffer(0);
  return takeReturnedBlock();
}

// --- header maps -----------------------------------------------------------------------

/** flat [name, value, ...] pairs of a header map (empty when unavailable) */
export function getHeaderPairs(map: MapType): Array<string> {
  clearReturn();
  if (raw.proxy_get_header_map_pairs(map, RET_PTR, RET_SIZE) != Status.Ok) return new Array<string>();
  // decoded straight from the host's block: no managed copy on the hot path
  const ptr = <usize>load<u32>(RET_PTR);
  if (ptr == 0) return new Array<string>();
  const pairs = decodePairs(ptr, <usize>load<u32>(RET_SIZE));
  heap.free(ptr);
  return pairs;
}

/** a header map as one block, looked up in place (no pairs when unavailable); `borrow`: see PairBlock */
export function getHeaderBlock(map: MapType, borrow: bool = false): PairBlock {
  clearReturn();
  if (raw.proxy_get_header_map_pairs(map, RET_PTR, RET_SIZE) != Status.Ok) return new PairBlock(0, 0);
  const ptr = <usize>load<u32>(RET_PTR);
  if (ptr == 0) return new PairBlock(0, 0);
  const block = new PairBlock(ptr, <usize>load<u32>(RET_SIZE), borrow);
  heap.free(ptr);
  return block;
}

export function getHeader(map: MapType, name: string): string | null {
  clearReturn();
  Args.start();
  const k = Args.text(name);
  if (raw.proxy_get_header_map_value(map, Args.ptr(k), Args.length, RET_PTR, RET_SIZE) != Status.Ok) return null;
  // decoded straight from the host's block
  const ptr = <usize>load<u32>(RET_PTR);
  if (ptr == 0) return "";
  const value = decodeUtf8Lossy(ptr, <usize>load<u32>(RET_SIZE));
  heap.free(ptr);
  return value;
}

export function addHeader(map: MapType, name: string, value: string): Status {
  Args.start();
  const k = Args.text(name);
  const kLen = Args.length;
  const v = Args.text(value);
  return <Status>raw.proxy_add_header_map_value(map, Args.ptr(k), kLen, Args.ptr(v), Args.length);
}

export function replaceHeader(map: MapType, name: string, value: string): Status {
  Args.start();
  const k = Args.text(name);
  const kLen = Args.length;
  const v = Args.text(value);
  return <Status>raw.proxy_replace_header_map_value(map, Args.ptr(k), kLen, Args.ptr(v), Args.length);
}

/** `replaceHeader` with name and value already UTF-8 (constants encoded once) */
export function replaceHeaderBytes(map: MapType, name: ArrayBuffer, value: ArrayBuffer): Status {
  return <Status>raw.proxy_replace_header_map_value(map, changetype<usize>(name), <usize>name.byteLength, changetype<usize>(value), <usize>value.byteLength);
}

export function removeHeader(map: MapType, name: string): Status {
  Args.start();
  const k = Args.text(name);
  return <Status>raw.proxy_remove_header_map_value(map, Args.ptr(k), Args.length);
}

// --- stream control --------------------------------------------------------------------

export function continueStream(stream: StreamType): Status {
  return <Status>raw.proxy_continue_stream(stream);
}

/** headers: flat [name, value, ...]; grpc status -1 means a plain HTTP reply */
export function sendLocalResponse(status: u32, details: string, body: string, headers: Array<string>): Status {
  Args.start();
  const d = Args.text(details);
  const dLen = Args.length;
  const b = Args.text(body);
  const bLen = Args.length;
  const h = Args.pairs(headers);
  return <Status>raw.proxy_send_local_response(status, Args.ptr(d), dLen, Args.ptr(b), bLen, Args.ptr(h), Args.length, -1);
}

export function setEffectiveContext(contextId: u32): Status {
  return <Status>raw.proxy_set_effective_context(contextId);
}

// --- http calls ------------------------------------------------------------------------

export class CallResult {
  constructor(public status: Status, public callId: u32) {}
}

export function httpCall(cluster: string, headers: Array<string>, body: string, timeoutMs: u32): CallResult {
  Args.start();
  const c = Args.text(cluster);
  const cLen = Args.length;
  const h = Args.pairs(headers);
  const hLen = Args.length;
  const b = Args.text(body);
  const status = <Status>raw.proxy_http_call(Args.ptr(c), cLen, Args.ptr(h), hLen, Args.ptr(b), Args.length, 0, 0, timeoutMs, RET_EXTRA);
  return new CallResult(status, status == Status.Ok ? load<u32>(RET_EXTRA) : 0);
}

/** the host's status code for the last failed call (11 = broken connection), or 0 */
export function lastCallStatus(): u32 {
  clearReturn();
  if (raw.proxy_get_status(RET_EXTRA, RET_PTR, RET_SIZE) != Status.Ok) return 0;
  takeReturnedBlock();
  return load<u32>(RET_EXTRA);
}

// --- properties ------------------------------------------------------------------------

/** a property by path segments (joined with NUL, as the host expects), or null */
export function getProperty(path: Array<string>): ArrayBuffer | null {
  clearReturn();
  const p = utf8(joinStrings(path, "\0"));
  if (raw.proxy_get_property(changetype<usize>(p), <usize>p.byteLength, RET_PTR, RET_SIZE) != Status.Ok) return null;
  return takeReturnedBlock();
}

// --- shared data -----------------------------------------------------------------------

/**
 * the value as text (invalid UTF-8 replaced), for keys the caller wrote as UTF-8 bytes at
 * `keyPtr` (a reusable buffer: no allocation for the key); text null when the key does not exist
 */
export function getSharedText(keyPtr: usize, keyLength: usize): SharedText {
  clearReturn();
  if (raw.proxy_get_shared_data(keyPtr, keyLength, RET_PTR, RET_SIZE, RET_EXTRA) != Status.Ok) return new SharedText(null, 0);
  const cas = load<u32>(RET_EXTRA);
  const ptr = <usize>load<u32>(RET_PTR);
  if (ptr == 0) return new SharedText("", cas);
  const text = decodeUtf8Lossy(ptr, <usize>load<u32>(RET_SIZE));
  heap.free(ptr);
  return new SharedText(text, cas);
}

/** `getSharedText` keeping only the head, as bytes in `into`; what follows the first newline is compared with `expected` in place */
export function getSharedHead(keyPtr: usize, keyLength: usize, expected: string, into: SlotHead): void {
  clearReturn();
  if (raw.proxy_get_shared_data(keyPtr, keyLength, RET_PTR, RET_SIZE, RET_EXTRA) != Status.Ok) return into.found(false, 0, 0, 0, false, false);
  const cas = load<u32>(RET_EXTRA);
  const ptr = <usize>load<u32>(RET_PTR);
  const size = ptr != 0 ? <usize>load<u32>(RET_SIZE) : 0;
  let newline: usize = 0;
  while (newline < size && load<u8>(ptr + newline) != 0x0a) newline++;
  const hasTail = newline < size;
  into.found(true, cas, ptr, newline, hasTail, hasTail && equalsUtf8(ptr + newline + 1, size - newline - 1, expected));
  if (ptr != 0) heap.free(ptr);
}

/** `setSharedData` of "<head>\n<tail>" for a key at `keyPtr` */
export function setSharedHead(keyPtr: usize, keyLength: usize, head: SlotHead, tail: string, cas: u32): Status {
  Args.start();
  const at = Args.bytes(head.ptr, <usize>head.length);
  Args.text("\n");
  Args.text(tail);
  return <Status>raw.proxy_set_shared_data(keyPtr, keyLength, Args.ptr(at), Args.used - at, cas);
}

/** `setSharedData` for a key at `keyPtr` and a text value */
export function setSharedText(keyPtr: usize, keyLength: usize, value: string, cas: u32): Status {
  Args.start();
  const v = Args.text(value);
  return <Status>raw.proxy_set_shared_data(keyPtr, keyLength, Args.ptr(v), Args.length, cas);
}

/** value and CAS token; value null when the key does not exist */
export function getSharedData(key: string): SharedBytes {
  clearReturn();
  const k = utf8(key);
  const status = raw.proxy_get_shared_data(changetype<usize>(k), <usize>k.byteLength, RET_PTR, RET_SIZE, RET_EXTRA);
  if (status != Status.Ok) return new SharedBytes(null, 0);
  const cas = load<u32>(RET_EXTRA);
  return new SharedBytes(takeReturnedBlock(), cas);
}

/** cas 0 writes unconditionally; otherwise CasMismatch when someone wrote in between */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32): Status {
  const k = utf8(key);
  return <Status>raw.proxy_set_shared_data(changetype<usize>(k), <usize>k.byteLength, changetype<usize>(value), <usize>value.byteLength, cas);
}

// --- shared queues ---------------------------------------------------------------------

export class QueueResult {
  constructor(public status: Status, public id: u32) {}
}

export function registerQueue(name: string): QueueResult {
  const n = utf8(name);
  const status = <Status>raw.proxy_register_shared_queue(changetype<usize>(n), <usize>n.byteLength, RET_EXTRA);
  return new QueueResult(status, status == Status.Ok ? load<u32>(RET_EXTRA) : 0);
}

export function resolveQueue(vmId: string, name: string): QueueResult {
  const v = utf8(vmId);
  const n = utf8(name);
  const status = <Status>raw.proxy_resolve_shared_queue(changetype<usize>(v), <usize>v.byteLength, changetype<usize>(n), <usize>n.byteLength, RET_EXTRA);
  return new QueueResult(status, status == Status.Ok ? load<u32>(RET_EXTRA) : 0);
}

export function enqueue(queueId: u32, value: ArrayBuffer): Status {
  return <Status>raw.proxy_enqueue_shared_queue(queueId, changetype<usize>(value), <usize>value.byteLength);
}

/** the next item, or null when the queue is empty or unknown */
export function dequeue(queueId: u32): ArrayBuffer | null {
  clearReturn();
  if (raw.proxy_dequeue_shared_queue(queueId, RET_PTR, RET_SIZE) != Status.Ok) return null;
  return takeReturnedBlock();
}

// --- metrics ---------------------------------------------------------------------------

/** metric id, or 0 when the host refused (0 is never a valid id in Envoy) */
export function defineMetric(type: MetricType, name: string): u32 {
  const n = utf8(name);
  return raw.proxy_define_metric(type, changetype<usize>(n), <usize>n.byteLength, RET_EXTRA) == Status.Ok ? load<u32>(RET_EXTRA) : 0;
}

export function incrementMetric(id: u32, delta: i64): Status {
  return <Status>raw.proxy_increment_metric(id, delta);
}

export function recordMetric(id: u32, value: u64): Status {
  return <Status>raw.proxy_record_metric(id, value);
}

export function getMetric(id: u32): u64 {
  return raw.proxy_get_metric(id, RET_EXTRA) == Status.Ok ? load<u64>(RET_EXTRA) : 0;
}
