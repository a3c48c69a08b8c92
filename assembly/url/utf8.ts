// Code points of UTF-16 strings. Host strings are UTF-16 and may hold lone surrogates; the URL
// Standard reads its input as scalar values, so a lone surrogate counts as U+FFFD.

/** Code point starting at `i` (a lone surrogate reads as U+FFFD); -1 past the end. */
export function codePointAt(s: string, i: i32): i32 {
  const c = s.charCodeAt(i);
  if ((c & 0xF800) != 0xD800) return c;
  if (c < 0xDC00) {
    const d = s.charCodeAt(i + 1);
    if ((d & 0xFC00) == 0xDC00) return 0x10000 + ((c & 0x3FF) << 10) + (d & 0x3FF);
  }
  return 0xFFFD;
}

/** UTF-16 units taken by a code point returned by codePointAt. */
export function codePointWidth(cp: i32): i32 {
  return cp >= 0x10000 ? 2 : 1;
}
