// The header-map wire format (docs/design.md §2): u32 count, count × (u32 key length,
// u32 value length), then each key and value followed by a NUL byte. Decoding checks every
// length against the block, so a malformed block from the host yields no pairs, not a trap.
import { decodeUtf8Lossy } from "../text/utf8";

/** flat [name0, value0, name1, value1, ...]; invalid UTF-8 is replaced by U+FFFD */
export function decodePairs(ptr: usize, size: usize): Array<string> {
  const out = new Array<string>();
  if (size < 4) return out;
  const count = <usize>load<u32>(ptr);
  if (count > (size - 4) / 8) return out;
  let data = ptr + 4 + count * 8;
  const end = ptr + size;
  for (let i: usize = 0; i < count; i++) {
    const keyLen = <usize>load<u32>(ptr + 4 + i * 8);
    const valueLen = <usize>load<u32>(ptr + 8 + i * 8);
    if (keyLen > end - data || valueLen > end - data - keyLen || end - data - keyLen - valueLen < 2) return new Array<string>();
    out.push(decodeUtf8Lossy(data, keyLen));
    data += keyLen + 1;
    out.push(decodeUtf8Lossy(data, valueLen));
    data += valueLen + 1;
  }
  return out;
}

/** serialises flat [name, value, ...] pairs */
export function encodePairs(pairs: Array<string>): ArrayBuffer {
  const n = pairs.length >> 1;
  const encoded = new Array<ArrayBuffer>(n * 2);
  let size = 4 + n * 8;
  for (let i = 0; i < n * 2; i++) {
    const bytes = String.UTF8.encode(pairs[i]);
    encoded[i] = bytes;
    size += bytes.byteLength + 1;
  }
  const buf = new ArrayBuffer(size);
  const base = changetype<usize>(buf);
  store<u32>(base, <u32>n);
  let data = base + 4 + <usize>n * 8;
  for (let i = 0; i < n * 2; i++) {
    const bytes = encoded[i];
    const len = <usize>bytes.byteLength;
    store<u32>(base + 4 + <usize>i * 4, <u32>len);
    memory.copy(data, changetype<usize>(bytes), len);
    store<u8>(data + len, 0);
    data += len + 1;
  }
  return buf;
}
