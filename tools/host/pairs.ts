// Header-map ("pairs") wire format, §4.2: u32 count, count × (u32 key_len, u32 value_len), then
// each key and value followed by a NUL. Module-supplied maps over the cpp-host limits, or
// malformed, are silently read as empty — exactly what Envoy does.

export type BytePair = [Uint8Array, Uint8Array];

const PAIRS_MAX_BYTES = 1 << 20;
export const PAIRS_MAX_COUNT = 1024;

export function encodePairs(pairs: BytePair[]): Uint8Array {
  const size = pairs.reduce((n, [k, v]) => n + 8 + k.length + v.length + 2, 4);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, pairs.length, true);
  let data = 4 + 8 * pairs.length;
  pairs.forEach(([key, value], i) => {
    view.setUint32(4 + 8 * i, key.length, true);
    view.setUint32(8 + 8 * i, value.length, true);
    out.set(key, data);
    data += key.length + 1;
    out.set(value, data);
    data += value.length + 1;
  });
  return out;
}

export function decodePairs(buf: Uint8Array): BytePair[] {
  if (buf.length < 4 || buf.length > PAIRS_MAX_BYTES) return [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const count = view.getUint32(0, true);
  if (count > PAIRS_MAX_COUNT || 4 + 8 * count > buf.length) return [];
  const pairs: BytePair[] = [];
  let data = 4 + 8 * count;
  const take = (len: number): Uint8Array | undefined => {
    if (data + len + 1 > buf.length || buf[data + len] !== 0) return undefined;
    const bytes = buf.slice(data, data + len);
    data += len + 1;
    return bytes;
  };
  for (let i = 0; i < count; i++) {
    const key = take(view.getUint32(4 + 8 * i, true));
    const value = key && take(view.getUint32(8 + 8 * i, true));
    if (!key || !value) return [];
    pairs.push([key, value]);
  }
  return pairs;
}
