// Special schemes of the URL Standard and their default ports.

export function isSpecialScheme(scheme: string): bool {
  return scheme == "file" || defaultPort(scheme) >= 0;
}

/** Default port of a special scheme; -1 for file and non-special schemes. */
export function defaultPort(scheme: string): i32 {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return -1;
}

/** Offset of the ':' ending a valid scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), or -1. */
export function schemeEnd(s: string): i32 {
  if (!isAlpha(s.charCodeAt(0))) return -1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x3A) return i;
    if (!isAlpha(c) && !(c >= 0x30 && c <= 0x39) && c != 0x2B && c != 0x2D && c != 0x2E) return -1;
  }
  return -1;
}

export function isAlpha(c: i32): bool {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7A;
}
