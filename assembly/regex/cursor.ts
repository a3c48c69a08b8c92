// Position in a pattern being parsed, plus the first error met (parsing stops at it).
import { codePointAt, codePointWidth } from "./utf16";

export class Cursor {
  pos: i32 = 0;
  error: string = "";

  constructor(public pattern: string) {}

  get eof(): bool {
    return this.pos >= this.pattern.length;
  }

  /** The current code point, or -1 at the end. */
  char(): i32 {
    return codePointAt(this.pattern, this.pos, this.pattern.length);
  }

  /** The code point after the current one, or -1. */
  peek(): i32 {
    if (this.eof) return -1;
    return codePointAt(this.pattern, this.pos + codePointWidth(this.char()), this.pattern.length);
  }

  /** Moves past the current code point; false when that reaches the end. */
  bump(): bool {
    if (!this.eof) this.pos += codePointWidth(this.char());
    return !this.eof;
  }

  /** Moves past `text` (ASCII) if the pattern continues with it. */
  bumpIf(text: string): bool {
    if (!this.pattern.startsWith(text, this.pos)) return false;
    this.pos += text.length;
    return true;
  }

  /** Records `message` unless an earlier error is already recorded; returns false for chaining. */
  fail(message: string): bool {
    if (!this.failed) this.error = message;
    return false;
  }

  get failed(): bool {
    return this.error.length > 0;
  }
}
