// "Domain to ASCII" of the URL Standard (UTS #46 ToASCII, non-transitional, CheckHyphens and
// UseSTD3ASCIIRules off) WITHOUT the Unicode IDNA mapping and normalisation tables. Instead:
// * labels are lower-cased with String.toLowerCase (Σ always becoming σ, as in UTS #46);
// * U+3002, U+FF0E, U+FF61 separate labels like '.'; a few default-ignorable code points
//   (soft hyphen, ZWSP, word joiner, BOM, CGJ, variation selectors) are removed;
// * C1 controls, NBSP, U+FFFD (invalid UTF-8, lone surrogates) and ZWNJ/ZWJ are disallowed;
// * `xn--` labels must decode and already be in that mapped form.
// Differences from WHATWG therefore remain for: compatibility mappings (full-width letters,
// ligatures, ẞ → ss, ...), NFC composition (e + U+0301), other ignored or disallowed code
// points, the Bidi rule, ZWNJ/ZWJ after a virama and labels starting with a combining mark.
// Unlike WHATWG (which leaves VerifyDnsLength off), the DNS limits apply: at most
// MAX_DNS_LABEL characters per ASCII label and MAX_DNS_NAME in all (a trailing root dot aside).
// They are checked as the output grows, and a label of more than MAX_DNS_LABEL code points is
// refused before Punycode (quadratic in the label) runs: its ASCII form would be longer still.
import { ByteBuffer } from "./buffer";
import { punycodeDecode, punycodeEncode } from "./punycode";
import { codePointAt, codePointWidth } from "./utf8";

/** the longest DNS label and name (RFC 1035, counted on the ASCII form, without a root dot) */
export const MAX_DNS_LABEL: i32 = 63;
export const MAX_DNS_NAME: i32 = 253;

/**
 * ASCII form of a (percent-decoded) domain; null when IDNA processing fails, it is empty or
 * it exceeds the DNS limits.
 */
export function domainToAscii(domain: string): string | null {
  const out = new ByteBuffer(min(domain.length, MAX_DNS_NAME + 1));
  const label = new Array<i32>(); // mapped code points of a label that needs IDNA work
  const n = domain.length;
  let start = 0;
  while (true) {
    let end = start;
    let ascii = true;
    for (; end < n; end++) {
      const c = domain.charCodeAt(end);
      if (isDot(c)) break;
      if (c >= 0x80) ascii = false;
    }
    const labelStart = out.length;
    if (ascii && !hasXnPrefix(domain, start, end)) {
      // common case: lower-casing is the whole mapping
      if (end - start > MAX_DNS_LABEL) return null;
      for (let i = start; i < end; i++) {
        const c = domain.charCodeAt(i);
        out.push(c >= 0x41 && c <= 0x5A ? c | 0x20 : c);
      }
    } else if (!mapLabel(domain, start, end, label) || !appendLabel(label, out)) {
      return null;
    }
    if (out.length - labelStart > MAX_DNS_LABEL) return null;
    if (end >= n) break;
    // a trailing dot (the root) is not counted
    if (out.length >= MAX_DNS_NAME && end + 1 < n) return null;
    out.push(0x2E);
    start = end + 1;
  }
  const size = out.length;
  if (size == 0 || size > MAX_DNS_NAME + 1 || (size == MAX_DNS_NAME + 1 && out.byteAt(size - 1) != 0x2E)) return null;
  return out.toAscii();
}

function isDot(cp: i32): bool {
  return cp == 0x2E || cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61;
}

function hasXnPrefix(s: string, start: i32, end: i32): bool {
  return end - start >= 4 && (s.charCodeAt(start) | 0x20) == 0x78 && (s.charCodeAt(start + 1) | 0x20) == 0x6E
    && s.charCodeAt(start + 2) == 0x2D && s.charCodeAt(start + 3) == 0x2D;
}

/** Maps s[start, end) into `label`; false when it holds a disallowed code point. */
function mapLabel(s: string, start: i32, end: i32, label: Array<i32>): bool {
  label.length = 0;
  // Σ is mapped first so that toLowerCase's word-final rule cannot turn it into ς
  const lower = s.substring(start, end).replaceAll("Σ", "σ").toLowerCase();
  let i = 0;
  while (i < lower.length) {
    const cp = codePointAt(lower, i);
    i += codePointWidth(cp);
    if (isDisallowed(cp)) return false;
    if (!isIgnored(cp)) label.push(cp);
  }
  return true;
}

function isDisallowed(cp: i32): bool {
  return (cp >= 0x80 && cp <= 0xA0) || cp == 0xFFFD || cp == 0x200C || cp == 0x200D;
}

function isIgnored(cp: i32): bool {
  return cp == 0xAD || cp == 0x34F || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F);
}

function appendLabel(label: Array<i32>, out: ByteBuffer): bool {
  const xn = label.length >= 4 && label[0] == 0x78 && label[1] == 0x6E && label[2] == 0x2D && label[3] == 0x2D;
  let ascii = true;
  for (let i = 0; i < label.length; i++) if (unchecked(label[i]) >= 0x80) ascii = false;
  if (ascii) {
    if (xn && !isValidPunycodeLabel(label)) return false;
    for (let i = 0; i < label.length; i++) out.push(unchecked(label[i]));
    return true;
  }
  if (xn || label.length > MAX_DNS_LABEL) return false;
  out.pushAscii("xn--");
  punycodeEncode(label, out);
  return true;
}

/** An `xn--` label must decode to a non-empty label that mapping leaves unchanged. */
function isValidPunycodeLabel(label: Array<i32>): bool {
  if (label.length > MAX_DNS_LABEL) return false;
  const decoded = punycodeDecode(label, 4);
  if (decoded === null || decoded.length == 0) return false;
  for (let i = 0; i < decoded.length; i++) {
    const cp = unchecked(decoded[i]);
    if (isDot(cp) || isDisallowed(cp) || isIgnored(cp)) return false;
    const text = String.fromCodePoint(cp);
    if (text.toLowerCase() != text) return false;
  }
  return true;
}
