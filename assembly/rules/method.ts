// Rule and request methods (docs/configuration.md §9).

/** ASCII upper-casing; other characters are kept as they are. */
export function normalizeMethod(m: string): string {
  let lower = false;
  const units = new Array<i32>(m.length);
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    const isLower = c >= 0x61 && c <= 0x7a;
    lower = lower || isLower;
    units[i] = isLower ? c - 0x20 : c;
  }
  return lower ? String.fromCharCodes(units) : m;
}

/** Both sides already normalised; `ANY` on either side matches everything (unknown methods compare as text). */
export function methodMatches(ruleMethodUpper: string, requestMethodUpper: string): bool {
  return ruleMethodUpper == "ANY" || requestMethodUpper == "ANY" || ruleMethodUpper == requestMethodUpper;
}
