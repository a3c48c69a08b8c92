// UTF-16 ⇄ UTF-8 helpers. Host strings are UTF-16 and may hold lone surrogates; the URL
// Standard reads its input as scalar values, so a lone surrogate counts as U+FFFD.

/** Code point starting at `i` (a lone surrogate reads as U+FFFD); -1 past the end. */
export function codePointAt(s: string, i: i32): i32 {
  const c = s.charCodeAt(i);
  if ((c & 0xF800) != 0xD800) return c;
  if (c < 0xDC00) {
    const d = s.charCodeAt(i + 1);
    if ((d & 0xFC00) == 0xDC00) return 0x10000 + ((c & 0x3FF) << 10) + (d & 0x3FF);
  }
  return 0xFFFD;
}

/** UTF-16 units taken by a code point returned by codePointAt. */
export function codePointWidth(cp: i32): i32 {
  return cp >= 0x10000 ? 2 : 1;
}

/**
 * Decodes UTF-8 replacing each maximal invalid subpart with U+FFFD (WHATWG "UTF-8 decode",
 * same as Rust's from_utf8_lossy the reference uses).
 */
export function decodeUtf8Lossy(bytes: StaticArray<u8>, length: i32): string {
  const units = new StaticArray<u16>(length);
  let n = 0;
  let i = 0;
  while (i < length) {
    const b0 = <i32>bytes[i++];
    if (b0 < 0x80) {
      units[n++] = <u16>b0;
      continue;
    }
    let need = 0, lo = 0x80, hi = 0xBF, cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) { need = 1; cp = b0 & 0x1F; }
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2; cp = b0 & 0x0F;
      if (b0 == 0xE0) lo = 0xA0; else if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3; cp = b0 & 0x07;
      if (b0 == 0xF0) lo = 0x90; else if (b0 == 0xF4) hi = 0x8F;
    } else {
      units[n++] = 0xFFFD; // not a lead byte
      continue;
    }
    // only the first continuation byte has a narrowed range
    while (need > 0 && i < length && <i32>bytes[i] >= lo && <i32>bytes[i] <= hi) {
      cp = (cp << 6) | (<i32>bytes[i++] & 0x3F);
      need--; lo = 0x80; hi = 0xBF;
    }
    if (need > 0) {
      units[n++] = 0xFFFD; // the offending byte is not consumed: it starts the next sequence
    } else if (cp >= 0x10000) {
      units[n++] = <u16>(0xD800 | ((cp - 0x10000) >> 10));
      units[n++] = <u16>(0xDC00 | (cp & 0x3FF));
    } else {
      units[n++] = <u16>cp;
    }
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(units), <usize>n << 1);
}
