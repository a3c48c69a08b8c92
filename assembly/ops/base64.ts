// `base64_standard` / `base64_urlsafe` (docs/operations.md §4.1), as strict as the reference:
// canonical padding is required (length a multiple of 4, `==`/`=` exactly where bytes are
// missing), the unused low bits of the last symbol must be zero, any other character fails,
// and the decoded bytes must be valid UTF-8. A lenient decoder would resolve credentials the
// reference rejects.
// `base64_urlsafe_optional_padding` (our addition, not in the reference) also accepts missing
// padding, as JWT segments and Envoy's `forward_payload_header` are written; everything else
// stays strict (alphabet, trailing bits, over-padding, UTF-8).
import { Budget } from "./budget";
import { Op } from "./types";
import { isValidUtf8 } from "../text/utf8";

const PAD: i32 = 0x3d; // =

/** the 6-bit value of `c` in the alphabet, or -1 */
function sextet(c: i32, urlsafe: bool): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;      // A-Z
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26; // a-z
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52; // 0-9
  if (c == (urlsafe ? 0x2d : 0x2b)) return 62;      // - or +
  if (c == (urlsafe ? 0x5f : 0x2f)) return 63;      // _ or /
  return -1;
}

/** `s` with the padding a canonical encoding would have, or null if none can be right */
function padded(s: string): string | null {
  const rest = s.length % 4;
  if (rest == 0) return s;
  // one leftover symbol never encodes a byte; a `=` here means partial or over-padding
  if (rest == 1 || s.charCodeAt(s.length - 1) == PAD) return null;
  return rest == 2 ? s + "==" : s + "=";
}

/** decoded text, or null when the input is not canonical Base64 of UTF-8 text */
export function decodeBase64(input: string, urlsafe: bool, optionalPadding: bool = false): string | null {
  const s = optionalPadding ? padded(input) : input;
  if (s == null) return null;
  const n = s.length;
  if (n % 4 != 0) return null;
  if (n == 0) return "";
  const padding = s.charCodeAt(n - 1) != PAD ? 0 : s.charCodeAt(n - 2) == PAD ? 2 : 1;
  const size = n / 4 * 3 - padding;
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = 0; i < n; i += 4) {
    const last = i + 4 == n;
    const symbols = last ? 4 - padding : 4;
    let group: u32 = 0;
    for (let k = 0; k < 4; k++) {
      let bits = 0;
      if (k < symbols) {
        bits = sextet(s.charCodeAt(i + k), urlsafe);
        if (bits < 0) return null; // includes a `=` anywhere but in the final padding
      }
      group = (group << 6) | <u32>bits;
    }
    // canonical: the bits below the last decoded byte must be zero
    if (symbols == 2 && (group & 0xffff) != 0) return null;
    if (symbols == 3 && (group & 0xff) != 0) return null;
    const bytes = symbols - 1;
    for (let k = 0; k < bytes; k++) out[o++] = <u8>(group >> (16 - 8 * k));
  }
  if (!isValidUtf8(out.dataStart, <usize>size)) return null;
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>size);
}

export class Base64Op extends Op {
  constructor(public urlsafe: bool, public optionalPadding: bool = false) { super(); }

  run(stack: Array<string>, budget: Budget): Array<string> | null {
    const decoded = decodeBase64(stack.pop(), this.urlsafe, this.optionalPadding);
    return decoded != null && budget.emit(stack, decoded, true) ? stack : null;
  }
}
