// ASCII-only case helpers: HTTP methods and header names are case-folded in ASCII only.

export function hasAsciiUpper(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}
