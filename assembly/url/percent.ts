// Percent-encode sets of the URL Standard (plus the authrep "component" set) and
// percent-decoding.
import { ByteBuffer } from "./buffer";
import { codePointAt, codePointWidth } from "./utf8";

export const enum EncodeSet {
  /** C0 controls and everything above `~` (opaque hosts and paths). */
  C0Control,
  /** + space " # < > */
  Query,
  /** + ' (query of http/https/ws/wss/ftp/file URLs) */
  SpecialQuery,
  /** query + ? ` { } */
  Path,
  /** path + / : ; = @ [ \ ] ^ | */
  Userinfo,
  /** everything except A-Z a-z 0-9 - . _ ~ (authrep parameter values) */
  Component,
}

export function needsEncoding(cp: i32, set: EncodeSet): bool {
  if (cp < 0x20 || cp > 0x7E) return true;
  switch (set) {
    case EncodeSet.C0Control: return false;
    case EncodeSet.Query: return inQuerySet(cp);
    case EncodeSet.SpecialQuery: return inQuerySet(cp) || cp == 0x27;
    case EncodeSet.Path: return inPathSet(cp);
    case EncodeSet.Userinfo: return inUserinfoSet(cp);
    default: return !isUnreserved(cp);
  }
}

function inQuerySet(c: i32): bool {
  return c == 0x20 || c == 0x22 || c == 0x23 || c == 0x3C || c == 0x3E;
}

function inPathSet(c: i32): bool {
  return inQuerySet(c) || c == 0x3F || c == 0x60 || c == 0x7B || c == 0x7D;
}

function inUserinfoSet(c: i32): bool {
  return inPathSet(c) || c == 0x2F || c == 0x3A || c == 0x3B || c == 0x3D || c == 0x40
    || (c >= 0x5B && c <= 0x5E) || c == 0x7C;
}

function isUnreserved(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
    || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E;
}

/** UTF-8 percent-encodes the code point at s[i] into `out`; returns the offset after it. */
export function encodeCodePointAt(out: ByteBuffer, s: string, i: i32, set: EncodeSet): i32 {
  const c = s.charCodeAt(i);
  if (c < 0x80 && !needsEncoding(c, set)) {
    out.push(c); // the common case, three times faster than the general path
    return i + 1;
  }
  const cp = codePointAt(s, i);
  out.pushCodePoint(cp, needsEncoding(cp, set));
  return i + codePointWidth(cp);
}

/** UTF-8 percent-encodes s[start, end). */
export function percentEncode(s: string, start: i32, end: i32, set: EncodeSet): string {
  // most values (keys, ids, metric names) need no encoding: no buffer, no copy
  let first = start;
  while (first < end) {
    const c = s.charCodeAt(first);
    if (c >= 0x80 || needsEncoding(c, set)) break;
    first++;
  }
  if (first == end) return start == 0 && end == s.length ? s : s.substring(start, end);
  // sized exactly: a credential of 3-byte characters grows ninefold, and growing by doubling
  // would allocate twice that again
  const out = new ByteBuffer(first - start + encodedLength(s, first, end, set));
  for (let i = start; i < first; i++) out.push(s.charCodeAt(i));
  let i = first;
  while (i < end) i = encodeCodePointAt(out, s, i, set);
  return out.toAscii();
}

/** bytes that percent-encoding s[start, end) produces */
function encodedLength(s: string, start: i32, end: i32, set: EncodeSet): i32 {
  let n = 0;
  let i = start;
  while (i < end) {
    const cp = codePointAt(s, i);
    i += codePointWidth(cp);
    if (cp < 0x80) n += needsEncoding(cp, set) ? 3 : 1;
    else n += cp < 0x800 ? 6 : cp < 0x10000 ? 9 : 12; // always encoded
  }
  return n;
}

/**
 * Percent-decodes the UTF-8 form of s[start, end) into `out`: `%XX` becomes byte XX, a `%`
 * without two hex digits stays literal, and `+` becomes a space when `plusIsSpace`.
 */
export function percentDecodeInto(out: ByteBuffer, s: string, start: i32, end: i32, plusIsSpace: bool): void {
  let i = start;
  while (i < end) {
    const cp = codePointAt(s, i);
    if (cp == 0x25 && i + 2 < end) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out.push((hi << 4) | lo);
        i += 3;
        continue;
      }
    }
    out.pushCodePoint(plusIsSpace && cp == 0x2B ? 0x20 : cp, false);
    i += codePointWidth(cp);
  }
}

export function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}
