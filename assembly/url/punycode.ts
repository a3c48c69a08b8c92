// Punycode (RFC 3492) for IDNA labels. Both directions rescan or shift the whole label per
// code point, so the cost is quadratic in the label length: idna.ts hands it DNS-sized labels
// only (at most 63 code points).
import { ByteBuffer } from "./buffer";

const BASE = 36, T_MIN = 1, T_MAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 0x80;

/** Appends the Punycode form of `cps` (without the `xn--` prefix). */
export function punycodeEncode(cps: Array<i32>, out: ByteBuffer): void {
  const length = cps.length;
  let handled = 0;
  for (let i = 0; i < length; i++) {
    const c = unchecked(cps[i]);
    if (c < 0x80) {
      out.push(c);
      handled++;
    }
  }
  const basic = handled;
  if (basic > 0) out.push(0x2D);
  let n = INITIAL_N, delta: i64 = 0, bias = INITIAL_BIAS;
  while (handled < length) {
    let m = 0x7FFFFFFF;
    for (let i = 0; i < length; i++) {
      const c = unchecked(cps[i]);
      if (c >= n && c < m) m = c;
    }
    delta += <i64>(m - n) * (handled + 1);
    n = m;
    for (let i = 0; i < length; i++) {
      const c = unchecked(cps[i]);
      if (c < n) delta++;
      if (c != n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        out.push(encodeDigit(<i32>(t + (q - t) % (BASE - t))));
        q = (q - t) / (BASE - t);
      }
      out.push(encodeDigit(<i32>q));
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
}

/** Decodes input[start..] (the part after `xn--`, ASCII) into code points; null when invalid. */
export function punycodeDecode(input: Array<i32>, start: i32): Array<i32> | null {
  const out = new Array<i32>();
  const end = input.length;
  let p = start;
  const delimiter = input.lastIndexOf(0x2D);
  if (delimiter > start) {
    for (; p < delimiter; p++) out.push(unchecked(input[p]));
    p++;
  }
  let n: i64 = INITIAL_N, i: i64 = 0, bias = INITIAL_BIAS;
  while (p < end) {
    const oldI = i;
    let w: i64 = 1;
    for (let k = BASE; ; k += BASE) {
      if (p >= end) return null;
      const digit = decodeDigit(unchecked(input[p++]));
      if (digit < 0) return null;
      i += <i64>digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
      if (i > 0xFFFFFFFF || w > 0xFFFFFFFF) return null; // overflow per RFC 3492
    }
    const size = out.length + 1;
    bias = adapt(i - oldI, size, oldI == 0);
    n += i / size;
    i %= size;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return null;
    out.push(0);
    for (let j = out.length - 1; j > <i32>i; j--) unchecked(out[j] = out[j - 1]);
    unchecked(out[<i32>i] = <i32>n);
    i++;
  }
  return out;
}

function threshold(k: i32, bias: i32): i32 {
  return k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
}

function adapt(delta: i64, points: i32, first: bool): i32 {
  delta = first ? delta / DAMP : delta >> 1;
  delta += delta / points;
  let k = 0;
  while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
    delta /= BASE - T_MIN;
    k += BASE;
  }
  return k + <i32>((BASE * delta) / (delta + SKEW));
}

function encodeDigit(d: i32): i32 {
  return d < 26 ? 0x61 + d : 0x16 + d; // a-z, then 0-9
}

function decodeDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x16;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7A ? l - 0x61 : -1;
}
