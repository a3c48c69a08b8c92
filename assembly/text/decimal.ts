// Decimal fields of shared-data entries written by this module (other workers, or an earlier
// VM of this plugin); anything else reads as -1 and the entry is ignored.

/** 1 to 18 digits, or -1 */
export function parseDecimal(s: string): i64 {
  return parseDecimalIn(s, 0, s.length);
}

/** s[start, end) as 1 to 18 digits, or -1 (no substring is made) */
export function parseDecimalIn(s: string, start: i32, end: i32): i64 {
  if (start < 0 || end > s.length || end <= start || end - start > 18) return -1;
  let v: i64 = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
