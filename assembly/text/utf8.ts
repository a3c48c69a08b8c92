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

/** decode, replacing each invalid sequence with U+FFFD as the WHATWG decoder does */
export function decodeUtf8Lossy(ptr: usize, len: usize): string {
  if (isValidUtf8(ptr, len)) return String.UTF8.decodeUnsafe(ptr, len);
  // Rebuild with each maximal invalid prefix replaced by U+FFFD (one per bad byte run start).
  const parts = new Array<string>();
  const end = ptr + len;
  let p = ptr;
  let runStart = ptr;
  while (p < end) {
    const n = sequenceLength(p, end);
    if (n > 0) { p += <usize>n; continue; }
    if (p > runStart) parts.push(String.UTF8.decodeUnsafe(runStart, p - runStart));
    parts.push(String.fromCharCode(REPLACEMENT));
    p += <usize>invalidPrefixLength(p, end);
    runStart = p;
  }
  if (end > runStart) parts.push(String.UTF8.decodeUnsafe(runStart, end - runStart));
  return parts.join("");
}

/** WHATWG decoder: a truncated but well-started sequence is replaced as a whole */
function invalidPrefixLength(p: usize, end: usize): i32 {
  const b0 = <u32>load<u8>(p);
  let need: i32 = 0;
  let lower: u32 = 0x80;
  let upper: u32 = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef) { need = 2; if (b0 == 0xe0) lower = 0xa0; if (b0 == 0xed) upper = 0x9f; }
  else if (b0 >= 0xf0 && b0 <= 0xf4) { need = 3; if (b0 == 0xf0) lower = 0x90; if (b0 == 0xf4) upper = 0x8f; }
  let n: i32 = 1;
  while (n <= need && p + <usize>n < end) {
    const b = <u32>load<u8>(p + <usize>n);
    if (b < lower || b > upper) break;
    lower = 0x80;
    upper = 0xbf;
    n++;
  }
  return n;
}

export function bytesToStringLossy(bytes: ArrayBuffer): string {
  return decodeUtf8Lossy(changetype<usize>(bytes), <usize>bytes.byteLength);
}
