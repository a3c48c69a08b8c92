// Decimal fields of shared-data entries written by this module (other workers, or an earlier
// VM of this plugin); anything else reads as -1 and the entry is ignored. And the length of a
// number's decimal form, for text sized before it is written.

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

/** characters of the decimal form of `n`, sign included (as `i64#toString` writes it) */
export function decimalLength(n: i64): i32 {
  let digits = 1;
  // negate in u64: the magnitude of I64.MIN_VALUE does not fit an i64
  let m: u64 = n < 0 ? <u64>0 - <u64>n : <u64>n;
  while (m >= 10) { m /= 10; digits++; }
  return n < 0 ? digits + 1 : digits;
}
