// Patterns and subjects are AssemblyScript (UTF-16) strings, but the reference's engine works on
// Unicode scalar values: `.` or `[^a]` consumes a whole surrogate pair, never half of one.

/** Code point starting at `pos` (a lone surrogate counts as itself), or -1 when `pos >= end`. */
export function codePointAt(s: string, pos: i32, end: i32): i32 {
  if (pos >= end) return -1;
  const hi = s.charCodeAt(pos);
  if ((hi & 0xfc00) != 0xd800 || pos + 1 >= end) return hi;
  const lo = s.charCodeAt(pos + 1);
  if ((lo & 0xfc00) != 0xdc00) return hi;
  return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/** Number of UTF-16 code units `cp` occupies. */
export function codePointWidth(cp: i32): i32 {
  return cp > 0xffff ? 2 : 1;
}
