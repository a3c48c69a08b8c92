// Exact integer reading of JSON number lexemes. A lexeme with a fraction or an exponent is
// never an integer (the configuration format has no coercion: `2.0` is not a size).

/** true when the lexeme is an integer literal (optional '-', digits only) */
export function isIntegerLexeme(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return false;
  }
  return true;
}

/** sign and magnitude of an integer lexeme; `ok` is false for a fraction, an exponent or a magnitude beyond u64 */
export class IntegerRead {
  constructor(public ok: bool, public negative: bool, public magnitude: u64) {}
}

export function readInteger(text: string): IntegerRead {
  if (!isIntegerLexeme(text) || text.length == 0) return new IntegerRead(false, false, 0);
  const negative = text.charCodeAt(0) == 0x2d;
  // serde_json reads `-0` as a float, so the reference rejects it wherever an integer is expected
  if (negative && text == "-0") return new IntegerRead(false, true, 0);
  let v: u64 = 0;
  for (let i = negative ? 1 : 0; i < text.length; i++) {
    const d = <u64>(text.charCodeAt(i) - 0x30);
    if (v > (U64.MAX_VALUE - d) / 10) return new IntegerRead(false, negative, 0);
    v = v * 10 + d;
  }
  return new IntegerRead(true, negative, v);
}
