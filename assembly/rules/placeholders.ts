// `{...}` placeholders of mapping-rule patterns (docs/configuration.md §9.1).

/** What a placeholder becomes in a path pattern: one or more characters allowed in a path segment. */
export const PATH_VALUE_CLASS = "[0-9a-zA-Z_\\-.~%!$&'()*+,;=@:]+";
/** The same in a query pattern, without `&`, which separates parameters. */
export const QUERY_VALUE_CLASS = "[0-9a-zA-Z_\\-.~%!$'()*+,;=@:]+";

/**
 * The text between placeholders (n placeholders give n + 1 pieces). A placeholder is the
 * reference's lazy `\{.+?\}`: a `{`, at least one character, then the nearest `}`, with no line
 * feed anywhere inside (`.` does not match one).
 */
export function splitAroundPlaceholders(s: string): Array<string> {
  const pieces = new Array<string>();
  let pieceStart = 0;
  let i = 0;
  while (i < s.length) {
    if (s.charCodeAt(i) != 0x7b || i + 1 >= s.length || s.charCodeAt(i + 1) == 0x0a) {
      i++;
      continue;
    }
    // The first character inside may itself be `}` (so `{}}` is a placeholder); skip it whole.
    let close = i + (isSurrogatePair(s, i + 1) ? 3 : 2);
    while (close < s.length && s.charCodeAt(close) != 0x7d && s.charCodeAt(close) != 0x0a) close++;
    if (close >= s.length) break; // no `}` left: no later `{` can close either
    if (s.charCodeAt(close) == 0x0a) {
      i = close; // every `{` before this line feed fails the same way
      continue;
    }
    pieces.push(s.substring(pieceStart, i));
    pieceStart = close + 1;
    i = close + 1;
  }
  pieces.push(s.substring(pieceStart));
  return pieces;
}

function isSurrogatePair(s: string, i: i32): bool {
  return (s.charCodeAt(i) & 0xfc00) == 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) == 0xdc00;
}
