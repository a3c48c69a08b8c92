// Backslash escapes, shared by the pattern and class parsers.
import { Cursor } from "./cursor";
import {
  BACKREFERENCE, ESCAPE_EOF, ESCAPE_HEX_EMPTY, ESCAPE_HEX_INVALID, ESCAPE_HEX_INVALID_DIGIT,
  ESCAPE_UNRECOGNIZED, UNICODE_PERL_CLASS, UNICODE_PROPERTY, UNICODE_WORD_BOUNDARY,
} from "./errors";

export enum EscapeKind { Literal, Start, End }

export class Escape {
  constructor(public kind: EscapeKind, public cp: i32 = 0) {}
}

// Characters with a syntactic meaning; `\` before any of them makes it literal.
const META = "\\.+*?()|[]{}^$#&-~";

export function isMetaCharacter(c: i32): bool {
  for (let i = 0; i < META.length; i++) if (META.charCodeAt(i) == c) return true;
  return false;
}

// Besides meta characters, any ASCII character but a letter, a digit, `<` or `>` may be escaped.
function isEscapeable(c: i32): bool {
  if (isMetaCharacter(c)) return true;
  if (c >= 0x80 || c == 0x3c || c == 0x3e) return false;
  return !isAsciiAlphanumeric(c);
}

export function isAsciiAlphanumeric(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** Parses the escape at the cursor (positioned on `\`); null after recording an error. */
export function parseEscape(c: Cursor): Escape | null {
  if (!c.bump()) return failed(c, ESCAPE_EOF);
  const ch = c.char();
  if (ch >= 0x30 && ch <= 0x39) return failed(c, BACKREFERENCE);
  if (ch == 0x78 || ch == 0x75 || ch == 0x55) return parseHex(c, ch == 0x78 ? 2 : ch == 0x75 ? 4 : 8); // x u U
  if (ch == 0x70 || ch == 0x50) return failed(c, UNICODE_PROPERTY); // p P: need Unicode tables
  // \d \s \w need the Unicode tables the reference's engine is built without: it rejects them
  const lower = ch | 0x20;
  if (lower == 0x64 || lower == 0x73 || lower == 0x77) return failed(c, UNICODE_PERL_CLASS);
  c.bump();
  if (isEscapeable(ch)) return new Escape(EscapeKind.Literal, ch);
  switch (ch) {
    case 0x61: return new Escape(EscapeKind.Literal, 0x07); // \a
    case 0x66: return new Escape(EscapeKind.Literal, 0x0c); // \f
    case 0x74: return new Escape(EscapeKind.Literal, 0x09); // \t
    case 0x6e: return new Escape(EscapeKind.Literal, 0x0a); // \n
    case 0x72: return new Escape(EscapeKind.Literal, 0x0d); // \r
    case 0x76: return new Escape(EscapeKind.Literal, 0x0b); // \v
    case 0x41: return new Escape(EscapeKind.Start); // \A
    case 0x7a: return new Escape(EscapeKind.End); // \z
    case 0x62: case 0x42: case 0x3c: case 0x3e: return failed(c, UNICODE_WORD_BOUNDARY); // \b \B \< \>
  }
  return failed(c, ESCAPE_UNRECOGNIZED);
}

// `\xHH`, `\uHHHH`, `\UHHHHHHHH`, or any of them with `{H...}`; the cursor is on x, u or U.
function parseHex(c: Cursor, digits: i32): Escape | null {
  if (!c.bump()) return failed(c, ESCAPE_EOF);
  if (c.char() == 0x7b) return parseHexBraced(c);
  let value = 0;
  for (let i = 0; i < digits; i++) {
    if (i > 0 && !c.bump()) return failed(c, ESCAPE_EOF);
    const digit = hexDigit(c.char());
    if (digit < 0) return failed(c, ESCAPE_HEX_INVALID_DIGIT);
    value = (value << 4) | digit;
  }
  c.bump();
  return scalar(c, <u32>value);
}

function parseHexBraced(c: Cursor): Escape | null {
  let value: u32 = 0;
  let count = 0;
  let tooLarge = false;
  while (c.bump() && c.char() != 0x7d) {
    const digit = hexDigit(c.char());
    if (digit < 0) return failed(c, ESCAPE_HEX_INVALID_DIGIT);
    count++;
    if (value > 0x10ffff) tooLarge = true; // stop accumulating before the arithmetic overflows
    else value = (value << 4) | digit;
  }
  if (c.eof) return failed(c, ESCAPE_EOF);
  c.bump();
  if (count == 0) return failed(c, ESCAPE_HEX_EMPTY);
  return tooLarge ? failed(c, ESCAPE_HEX_INVALID) : scalar(c, value);
}

function scalar(c: Cursor, value: u32): Escape | null {
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return failed(c, ESCAPE_HEX_INVALID);
  return new Escape(EscapeKind.Literal, <i32>value);
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function failed(c: Cursor, message: string): Escape | null {
  c.fail(message);
  return null;
}
