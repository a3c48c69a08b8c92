// UTF-8 helpers that never trap on invalid input. Header values arrive as raw bytes from the
// host and may be anything; decoded Base64 must be valid UTF-8 to be used at all.

const REPLACEMENT: i32 = 0xfffd;

/** length of the valid UTF-8 sequence starting at `p`, or 0 if it is invalid (WHATWG rules) */
function sequenceLength(p: usize, end: usize): i32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) return 1;
  let need: i32;
  let lower: u32 = 0x80;
  let upper: u32 = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    if (b0 == 0xe0) lower = 0xa0;
    if (b0 == 0xed) upper = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    if (b0 == 0xf0) lower = 0x90;
    if (b0 == 0xf4) upper = 0x8f;
  } else return 0;
  if (p + <usize>need >= end + 1) return 0;
  const b1 = <u32>load<u8>(p + 1);
  if (b1 < lower || b1 > upper) return 0;
  for (let i = 2; i <= need; i++) {
    const b = <u32>load<u8>(p + <usize>i);
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return need + 1;
}

export function isValidUtf8(ptr: usize, len: usize): bool {
  const end = ptr + len;
  let p = ptr;
  while (p < end) {
    const n = sequenceLength(p, end);
    if (n == 0) return false;
    p += <usize>n;
  }
  return true;
}

/**
 * Decodes UTF-8, replacing each maximal invalid subpart with U+FFFD (WHATWG "UTF-8 decode",
 * the same as Rust's from_utf8_lossy the reference uses). One pass, one allocation.
 */
export function decodeUtf8Lossy(ptr: usize, length: usize): string {
  if (isAscii(ptr, length)) return widenAscii(ptr, length);
  const units = new StaticArray<u16>(<i32>length);
  let n = 0;
  let i: usize = 0;
  while (i < length) {
    const b0 = <i32>load<u8>(ptr + i++);
    if (b0 < 0x80) {
      unchecked(units[n++] = <u16>b0);
      continue;
    }
    let need = 0, lo = 0x80, hi = 0xbf, cp = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) { need = 1; cp = b0 & 0x1f; }
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2; cp = b0 & 0x0f;
      if (b0 == 0xe0) lo = 0xa0; else if (b0 == 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3; cp = b0 & 0x07;
      if (b0 == 0xf0) lo = 0x90; else if (b0 == 0xf4) hi = 0x8f;
    } else {
      unchecked(units[n++] = <u16>REPLACEMENT); // not a lead byte
      continue;
    }
    // only the first continuation byte has a narrowed range
    while (need > 0 && i < length && <i32>load<u8>(ptr + i) >= lo && <i32>load<u8>(ptr + i) <= hi) {
      cp = (cp << 6) | (<i32>load<u8>(ptr + i++) & 0x3f);
      need--; lo = 0x80; hi = 0xbf;
    }
    // n < length always holds: every unit written consumed at least one byte, and a pair of
    // units (a supplementary code point) consumed four
    if (need > 0) {
      unchecked(units[n++] = <u16>REPLACEMENT); // the offending byte starts the next sequence
    } else if (cp >= 0x10000) {
      unchecked(units[n++] = <u16>(0xd800 | ((cp - 0x10000) >> 10)));
      unchecked(units[n++] = <u16>(0xdc00 | (cp & 0x3ff)));
    } else {
      unchecked(units[n++] = <u16>cp);
    }
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(units), <usize>n << 1);
}

export function isAsciiText(s: string): bool {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * whether the bytes at `ptr` decode (`decodeUtf8Lossy`) to `s`; `ascii`: `isAsciiText(s)`, when
 * the caller knows it. An ASCII `s` is compared byte by byte, without decoding: a decoded text
 * equals it exactly when the bytes are its characters.
 */
export function equalsUtf8(ptr: usize, length: usize, s: string, ascii: bool = isAsciiText(s)): bool {
  if (!ascii) return decodeUtf8Lossy(ptr, length) == s;
  if (length != <usize>s.length) return false;
  for (let i: usize = 0; i < length; i++) if (<i32>load<u8>(ptr + i) != s.charCodeAt(<i32>i)) return false;
  return true;
}

function isAscii(ptr: usize, length: usize): bool {
  let i: usize = 0;
  for (; i + 8 <= length; i += 8) if ((load<u64>(ptr + i) & 0x8080808080808080) != 0) return false;
  for (; i < length; i++) if (load<u8>(ptr + i) >= 0x80) return false;
  return true;
}

/** ASCII (almost every header) straight into the string: one allocation, no intermediate copy */
function widenAscii(ptr: usize, length: usize): string {
  const out = changetype<string>(__new(length << 1, idof<String>()));
  const base = changetype<usize>(out);
  for (let i: usize = 0; i < length; i++) store<u16>(base + (i << 1), <u16>load<u8>(ptr + i));
  return out;
}

/**
 * `s` as UTF-8 (lone surrogates as String.UTF8.encode writes them) at `dest`, which has room for
 * 3 bytes per code unit; returns the bytes written. The usual ASCII text is copied in one pass.
 */
export function writeUtf8(s: string, dest: usize): usize {
  const n = <usize>s.length;
  const src = changetype<usize>(s);
  let i: usize = 0;
  while (i < n) {
    const c = load<u16>(src + (i << 1));
    if (c >= 0x80) break;
    store<u8>(dest + i, <u8>c);
    i++;
  }
  if (i == n) return n;
  // the text before is ASCII: no surrogate pair is split here
  return i + String.UTF8.encodeUnsafe(src + (i << 1), <i32>(n - i), dest + i);
}
