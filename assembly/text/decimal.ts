// Decimal fields of shared-data entries written by this module (other workers, or an earlier
// VM of this plugin); anything else reads as -1 and the entry is ignored.

/** 1 to 18 digits, or -1 */
export function parseDecimal(s: string): i64 {
  if (s.length == 0 || s.length > 18) return -1;
  let v: i64 = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
