// Rule and request methods (docs/configuration.md §9).

/** ASCII upper-casing; other characters are kept as they are. */
export function normalizeMethod(m: string): string {
  let i = 0;
  while (i < m.length && !isAsciiLower(m.charCodeAt(i))) i++;
  if (i == m.length) return m; // already upper-case: the request path allocates nothing
  const units = new Array<i32>(m.length);
  for (let j = 0; j < m.length; j++) {
    const c = m.charCodeAt(j);
    units[j] = isAsciiLower(c) ? c - 0x20 : c;
  }
  return String.fromCharCodes(units);
}

function isAsciiLower(c: i32): bool {
  return c >= 0x61 && c <= 0x7a;
}

/** Both sides already normalised; `ANY` on either side matches everything (unknown methods compare as text). */
export function methodMatches(ruleMethodUpper: string, requestMethodUpper: string): bool {
  return ruleMethodUpper == "ANY" || requestMethodUpper == "ANY" || ruleMethodUpper == requestMethodUpper;
}
