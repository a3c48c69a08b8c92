// Host parser of the URL Standard: `[IPv6]`, opaque hosts of non-special URLs, and domains
// (percent-decoded, IDNA-mapped, then IPv4 when the last label is numeric).
import { ByteBuffer } from "./buffer";
import { MAX_DNS_LABEL, MAX_DNS_NAME, domainToAscii } from "./idna";
import { parseIpv4, endsInNumber } from "./ipv4";
import { parseIpv6 } from "./ipv6";
import { EncodeSet, percentDecodeInto, percentEncode } from "./percent";

/** A parsed host, or the reason (wording of the Rust `url` crate) it failed. */
export class Host {
  constructor(public value: string | null, public error: string) {}
}

function failed(error: string): Host {
  return new Host(null, error);
}

/** Parses s[start, end) (non-empty for special URLs) as the host of a special or non-special URL. */
export function parseHost(s: string, start: i32, end: i32, special: bool): Host {
  if (s.charCodeAt(start) == 0x5B) {
    if (end - start < 2 || s.charCodeAt(end - 1) != 0x5D) return failed("invalid IPv6 address");
    const address = parseIpv6(s, start + 1, end - 1);
    return address === null ? failed("invalid IPv6 address") : new Host("[" + address + "]", "");
  }
  if (!special) {
    for (let i = start; i < end; i++) {
      if (isForbiddenHostCodePoint(s.charCodeAt(i))) return failed("invalid domain character");
    }
    return new Host(percentEncode(s, start, end, EncodeSet.C0Control), "");
  }
  // Each character of the ASCII form takes at most 12 code units of input (a percent-encoded
  // 4-byte UTF-8 sequence), so a longer host cannot fit the DNS limits: refused before any
  // decoding or IDNA work (padding with code points IDNA ignores is refused with it).
  if (end - start > (MAX_DNS_NAME + 1) * 12) return failed("invalid international domain name");
  const ascii = isPlainDomain(s, start, end) ? s.substring(start, end) : domainToAscii(percentDecode(s, start, end));
  if (ascii === null) return failed("invalid international domain name");
  for (let i = 0; i < ascii.length; i++) {
    const c = ascii.charCodeAt(i);
    if (isForbiddenHostCodePoint(c) || c <= 0x1F || c == 0x25 || c == 0x7F) return failed("invalid domain character");
  }
  if (!endsInNumber(ascii)) return new Host(ascii, "");
  const ipv4 = parseIpv4(ascii);
  return ipv4 === null ? failed("invalid IPv4 address") : new Host(ipv4, "");
}

/**
 * lower-case letters, digits, `-` and `.` only, no label starting with `xn--`, within the DNS
 * limits: then domain-to-ASCII is the identity (the usual request authority takes this path)
 */
export function isPlainDomain(s: string, start: i32, end: i32): bool {
  if (end <= start) return false;
  const length = end - start;
  if (length > MAX_DNS_NAME && (length > MAX_DNS_NAME + 1 || s.charCodeAt(end - 1) != 0x2E)) return false;
  let labelStart = start;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x2E) { labelStart = i + 1; continue; }
    if (i - labelStart >= MAX_DNS_LABEL) return false;
    if (!((c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D)) return false;
    if (i == labelStart && c == 0x78 && i + 3 < end && s.charCodeAt(i + 1) == 0x6E && s.charCodeAt(i + 2) == 0x2D && s.charCodeAt(i + 3) == 0x2D) return false;
  }
  return true;
}

/** UTF-8 percent-decoding; without `%` that is the text itself (lone surrogates read as U+FFFD either way). */
function percentDecode(s: string, start: i32, end: i32): string {
  const percent = s.indexOf("%", start);
  if (percent < 0 || percent >= end) return s.substring(start, end);
  const bytes = new ByteBuffer(end - start);
  percentDecodeInto(bytes, s, start, end, false);
  return bytes.toUtf8Lossy();
}

function isForbiddenHostCodePoint(c: i32): bool {
  switch (c) {
    case 0x00: case 0x09: case 0x0A: case 0x0D: case 0x20: case 0x23: case 0x2F: case 0x3A:
    case 0x3C: case 0x3E: case 0x3F: case 0x40: case 0x5B: case 0x5C: case 0x5D: case 0x5E: case 0x7C:
      return true;
  }
  return false;
}
