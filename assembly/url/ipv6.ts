// IPv6 host parsing (the text between the brackets) and its compressed serialisation.
import { hexValue } from "./percent";
import { StringBuilder } from "../text/builder";

/** Parses s[start, end) as an IPv6 address and serialises it (without brackets); null on failure. */
export function parseIpv6(s: string, start: i32, end: i32): string | null {
  const pieces = new StaticArray<i32>(8);
  let piece = 0;
  let compress = -1;
  let p = start;
  if (s.charCodeAt(p) == 0x3A) {
    if (p + 1 >= end || s.charCodeAt(p + 1) != 0x3A) return null;
    p += 2;
    compress = ++piece;
  }
  while (p < end) {
    if (piece == 8) return null;
    let c = s.charCodeAt(p);
    if (c == 0x3A) {
      if (compress >= 0) return null;
      p++;
      compress = ++piece;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && p < end && hexValue(s.charCodeAt(p)) >= 0) {
      value = (value << 4) | hexValue(s.charCodeAt(p));
      p++;
      length++;
    }
    c = p < end ? s.charCodeAt(p) : -1;
    if (c == 0x2E) {
      // embedded IPv4 (`::ffff:1.2.3.4`): re-read the last digits as the first decimal number
      if (length == 0 || piece > 6) return null;
      return parseEmbeddedIpv4(s, p - length, end, pieces, piece, compress);
    }
    if (c == 0x3A) {
      p++;
      if (p >= end) return null;
    } else if (c >= 0) {
      return null;
    }
    unchecked(pieces[piece++] = value);
  }
  return finish(pieces, piece, compress);
}

/** Reads exactly four decimal numbers 0-255 into pieces[piece] and pieces[piece + 1]. */
function parseEmbeddedIpv4(s: string, p: i32, end: i32, pieces: StaticArray<i32>, piece: i32, compress: i32): string | null {
  let seen = 0;
  while (p < end) {
    if (seen > 0) {
      if (s.charCodeAt(p) != 0x2E || seen == 4) return null;
      p++;
    }
    let c = s.charCodeAt(p);
    if (p >= end || c < 0x30 || c > 0x39) return null;
    let number = -1;
    while (p < end && c >= 0x30 && c <= 0x39) {
      if (number == 0) return null; // no leading zeros
      number = max(number, 0) * 10 + (c - 0x30);
      if (number > 255) return null;
      c = s.charCodeAt(++p);
    }
    unchecked(pieces[piece] = (unchecked(pieces[piece]) << 8) | number);
    seen++;
    if (seen == 2 || seen == 4) piece++;
  }
  return seen == 4 ? finish(pieces, piece, compress) : null;
}

/** Moves the pieces after `::` to the end, then serialises. */
function finish(pieces: StaticArray<i32>, count: i32, compress: i32): string | null {
  if (compress < 0) {
    if (count != 8) return null;
  } else {
    let swaps = count - compress;
    let last = 7;
    while (last != 0 && swaps > 0) {
      const moved = unchecked(pieces[compress + swaps - 1]);
      unchecked(pieces[compress + swaps - 1] = pieces[last]);
      unchecked(pieces[last] = moved);
      last--;
      swaps--;
    }
  }
  return serialize(pieces);
}

/** Lower-case hex pieces; the first longest run of two or more zero pieces becomes `::`. */
function serialize(pieces: StaticArray<i32>): string {
  let best = -1, bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && unchecked(pieces[j]) == 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j + 1;
  }
  const out = new StringBuilder(40);
  for (let i = 0; i < 8; i++) {
    if (i == best) {
      out.add(i == 0 ? "::" : ":");
      i += bestLength - 1;
      continue;
    }
    out.add(unchecked(pieces[i]).toString(16));
    if (i < 7) out.addCode(0x3a);
  }
  return out.toString();
}
