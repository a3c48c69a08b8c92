// IPv4 host parsing of the URL Standard: 1 to 4 dot-separated numbers, each decimal, octal
// (leading 0) or hex (0x); the last number fills the remaining bytes (`0x7f.1` = 127.0.0.1).
import { hexValue } from "./percent";

/** Values at or above 2^32 are invalid in every position, so parsing saturates there. */
const TOO_BIG: i64 = 0x1_0000_0000;

/** The "ends in a number" checker: does the last label of host[from, to) (ignoring one trailing dot) look numeric? */
export function endsInNumber(host: string, from: i32 = 0, to: i32 = host.length): bool {
  let end = to;
  if (end > from && host.charCodeAt(end - 1) == 0x2E) end--;
  const start = max(from, host.lastIndexOf(".", end - 1) + 1);
  if (start >= end) return false;
  let digits = true;
  for (let i = start; i < end; i++) {
    const c = host.charCodeAt(i);
    if (c < 0x30 || c > 0x39) digits = false;
  }
  return digits || parseNumber(host, start, end) >= 0;
}

/**
 * Whether s[start, end) is what the IPv4 serialiser writes: four decimal numbers up to 255
 * without leading zeros, no trailing dot (the parser leaves exactly those unchanged)
 */
export function isSerializedIpv4(s: string, start: i32, end: i32): bool {
  let i = start;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= end || s.charCodeAt(i) != 0x2E) return false;
      i++;
    }
    const first = i;
    let value = 0;
    while (i < end && i - first < 3) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + c - 0x30;
      i++;
    }
    const digits = i - first;
    if (digits == 0 || value > 255 || (digits > 1 && s.charCodeAt(first) == 0x30)) return false;
  }
  return i == end;
}

/** Parses an IPv4 host and serialises it as dotted decimal; null on failure. */
export function parseIpv4(host: string): string | null {
  let end = host.length;
  if (end > 1 && host.charCodeAt(end - 1) == 0x2E) end--;
  const numbers = new StaticArray<i64>(4);
  let count = 0;
  let start = 0;
  while (start <= end) {
    let stop = host.indexOf(".", start);
    if (stop < 0 || stop > end) stop = end;
    if (count == 4) return null;
    const n = parseNumber(host, start, stop);
    if (n < 0) return null;
    unchecked(numbers[count++] = n);
    start = stop + 1;
  }
  let address = unchecked(numbers[count - 1]);
  if (address >= (<i64>1 << (8 * (5 - count)))) return null;
  for (let i = 0; i < count - 1; i++) {
    const n = unchecked(numbers[i]);
    if (n > 255) return null;
    address += n << (8 * (3 - i));
  }
  return (address >> 24).toString() + "." + ((address >> 16) & 255).toString() + "."
    + ((address >> 8) & 255).toString() + "." + (address & 255).toString();
}

/** One IPv4 number of s[start, end); -1 when it is not one. */
function parseNumber(s: string, start: i32, end: i32): i64 {
  if (start >= end) return -1;
  let radix = 10;
  if (end - start >= 2 && s.charCodeAt(start) == 0x30) {
    if ((s.charCodeAt(start + 1) | 0x20) == 0x78) {
      radix = 16;
      start += 2;
    } else {
      radix = 8;
      start += 1;
    }
  }
  let value: i64 = 0;
  for (let i = start; i < end; i++) {
    const d = hexValue(s.charCodeAt(i));
    if (d < 0 || d >= radix) return -1;
    value = min(value * radix + d, TOO_BIG);
  }
  return value;
}
