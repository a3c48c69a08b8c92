// `{...}` placeholders of mapping-rule patterns (docs/configuration.md §9.1).
import { StringBuilder } from "../text/builder";

/** What a placeholder becomes in a path pattern: one or more characters allowed in a path segment. */
export const PATH_VALUE_CLASS = "[0-9a-zA-Z_\\-.~%!$&'()*+,;=@:]+";
/** The same in a query pattern, without `&`, which separates parameters. */
export const QUERY_VALUE_CLASS = "[0-9a-zA-Z_\\-.~%!$'()*+,;=@:]+";

/**
 * Where the placeholders of `s` are: [start, end) offsets in pairs, `end` past the `}`. A
 * placeholder is the reference's lazy `\{.+?\}`: a `{`, at least one character, then the nearest
 * `}`, with no line feed anywhere inside (`.` does not match one).
 */
export function placeholderSpans(s: string): Array<i32> {
  const spans = new Array<i32>();
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
    spans.push(i);
    spans.push(close + 1);
    i = close + 1;
  }
  return spans;
}

/** `head`, then `s` with each placeholder replaced by `valueClass`, built in one allocation */
export function replacePlaceholders(head: string, s: string, valueClass: string): string {
  const spans = placeholderSpans(s);
  let length = head.length + s.length;
  for (let k = 0; k < spans.length; k += 2) length += valueClass.length - (spans[k + 1] - spans[k]);
  const out = new StringBuilder(length).add(head);
  let from = 0;
  for (let k = 0; k < spans.length; k += 2) {
    out.addRange(s, from, spans[k]).add(valueClass);
    from = spans[k + 1];
  }
  return out.addRange(s, from, s.length).toString();
}

function isSurrogatePair(s: string, i: i32): bool {
  return (s.charCodeAt(i) & 0xfc00) == 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) == 0xdc00;
}
