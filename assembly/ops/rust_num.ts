// Path steps and keys are compared with numbers the way the reference parses them with Rust's
// `str::parse`: `usize` for list indexes, `f64` for number values.

/** Rust `usize` syntax: optional `+`, decimal digits (leading zeros allowed); -1 otherwise or beyond i32 */
export function parseIndex(s: string): i32 {
  let i = s.length > 0 && s.charCodeAt(0) == 0x2b ? 1 : 0;
  if (i == s.length) return -1;
  let v: i64 = 0;
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
    if (v > <i64>I32.MAX_VALUE) return -1; // no list is that long
  }
  return <i32>v;
}

/**
 * Rust `f64` syntax: `[+-]` then `inf`, `infinity`, `nan` (any case) or digits with an optional
 * `.` (at least one digit) and an optional exponent `e[+-]digits`. NaN when not a number —
 * harmless, as NaN never equals anything either.
 */
export function parseRustFloat(s: string): f64 {
  let i = 0;
  const n = s.length;
  if (i < n && (s.charCodeAt(i) == 0x2b || s.charCodeAt(i) == 0x2d)) i++;
  const word = s.substring(i).toLowerCase();
  if (word == "inf" || word == "infinity") return s.charCodeAt(0) == 0x2d ? -Infinity : Infinity;
  if (word == "nan") return NaN;
  const digits0 = i;
  i = skipDigits(s, i);
  let count = i - digits0;
  if (i < n && s.charCodeAt(i) == 0x2e) {
    const after = i + 1;
    i = skipDigits(s, after);
    count += i - after;
  }
  if (count == 0) return NaN;
  if (i < n && (s.charCodeAt(i) | 0x20) == 0x65) {
    i++;
    if (i < n && (s.charCodeAt(i) == 0x2b || s.charCodeAt(i) == 0x2d)) i++;
    const exp0 = i;
    i = skipDigits(s, i);
    if (i == exp0) return NaN;
  }
  return i == n ? parseFloat(s) : NaN;
}

function skipDigits(s: string, i: i32): i32 {
  while (i < s.length && <u32>(s.charCodeAt(i) - 0x30) < 10) i++;
  return i;
}
