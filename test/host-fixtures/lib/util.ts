// Small helpers over the raw imports, shared by the host fixtures. Fixtures re-export `malloc`
// and the ABI marker from here.
import * as abi from "./abi";

export function malloc(size: usize): usize {
  return heap.alloc(size);
}

export function proxy_abi_version_0_2_1(): void {}

/** out-parameters the host writes: [ptr u32, size u32, u64] */
export const RET = memory.data(16);

/** status of the last helper call */
export let status: u32 = 0;

export function bytes(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

export function ptr(b: ArrayBuffer): usize {
  return changetype<usize>(b);
}

export function text(b: ArrayBuffer): string {
  return String.UTF8.decode(b);
}

/** copy of the block the host handed over through RET */
export function returned(): ArrayBuffer {
  const size = load<u32>(RET, 4);
  const out = new ArrayBuffer(size);
  memory.copy(changetype<usize>(out), load<u32>(RET), size);
  return out;
}

export function log(level: i32, message: string): void {
  const b = bytes(message);
  abi.proxy_log(level, ptr(b), b.byteLength);
}

export function or(value: string | null, fallback: string): string {
  return value === null ? fallback : value;
}

export function parseU32(value: string | null): u32 {
  return value === null ? 0 : <u32>I32.parseInt(value);
}

export function hex(b: ArrayBuffer): string {
  const view = Uint8Array.wrap(b);
  let out = "";
  for (let i = 0; i < view.length; i++) out += (<u32>view[i] | 0x100).toString(16).substring(1);
  return out;
}

export function getHeaderRaw(map: i32, name: string): ArrayBuffer | null {
  const k = bytes(name);
  status = abi.proxy_get_header_map_value(map, ptr(k), k.byteLength, RET, RET + 4);
  return status == 0 ? returned() : null;
}

export function getHeader(map: i32, name: string): string | null {
  const raw = getHeaderRaw(map, name);
  return raw === null ? null : text(raw);
}

export function addHeaderRaw(map: i32, name: string, value: ArrayBuffer): u32 {
  const k = bytes(name);
  return (status = abi.proxy_add_header_map_value(map, ptr(k), k.byteLength, ptr(value), value.byteLength));
}

export function addHeader(map: i32, name: string, value: string): u32 {
  return addHeaderRaw(map, name, bytes(value));
}

export function replaceHeader(map: i32, name: string, value: string): u32 {
  const k = bytes(name);
  const v = bytes(value);
  return (status = abi.proxy_replace_header_map_value(map, ptr(k), k.byteLength, ptr(v), v.byteLength));
}

export function removeHeader(map: i32, name: string): u32 {
  const k = bytes(name);
  return (status = abi.proxy_remove_header_map_value(map, ptr(k), k.byteLength));
}

export function getBuffer(type: i32, start: u32, max: u32): string | null {
  status = abi.proxy_get_buffer_bytes(type, start, max, RET, RET + 4);
  return status == 0 ? text(returned()) : null;
}

/** §4.2 serialization of alternating key, value strings */
export function pairs(list: string[]): ArrayBuffer {
  const encoded = list.map<ArrayBuffer>((s: string) => bytes(s));
  let size = 4 + 4 * encoded.length;
  for (let i = 0; i < encoded.length; i++) size += encoded[i].byteLength + 1;
  const out = new ArrayBuffer(size);
  const base = changetype<usize>(out);
  store<u32>(base, encoded.length / 2);
  let data = base + 4 + 4 * encoded.length;
  for (let i = 0; i < encoded.length; i++) {
    store<u32>(base + 4 + 4 * i, encoded[i].byteLength);
    memory.copy(data, ptr(encoded[i]), encoded[i].byteLength);
    data += encoded[i].byteLength;
    store<u8>(data++, 0);
  }
  return out;
}

/** alternating key, value strings of a §4.2 buffer */
export function parsePairs(buf: ArrayBuffer): string[] {
  const out: string[] = [];
  if (buf.byteLength < 4) return out;
  const base = changetype<usize>(buf);
  const count = load<u32>(base);
  let data = base + 4 + 8 * count;
  for (let i: u32 = 0; i < 2 * count; i++) {
    const size = load<u32>(base + 4 + 4 * i);
    out.push(String.UTF8.decodeUnsafe(data, size));
    data += size + 1;
  }
  return out;
}

export function headerPairs(map: i32): string[] {
  status = abi.proxy_get_header_map_pairs(map, RET, RET + 4);
  return status == 0 ? parsePairs(returned()) : [];
}

export function sendLocalResponse(code: u32, details: string, body: string, headers: string[]): u32 {
  const d = bytes(details);
  const b = bytes(body);
  const h = pairs(headers);
  return (status = abi.proxy_send_local_response(code, ptr(d), d.byteLength, ptr(b), b.byteLength, ptr(h), h.byteLength, -1));
}

/** `path` with "." between segments, sent NUL-separated */
export function getProperty(path: string): ArrayBuffer | null {
  const p = bytes(path.replaceAll(".", "\0"));
  status = abi.proxy_get_property(ptr(p), p.byteLength, RET, RET + 4);
  return status == 0 ? returned() : null;
}
