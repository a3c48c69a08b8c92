// Growable byte buffer: URL components are built byte by byte (percent-encoding, decoding),
// and string concatenation in a loop would be quadratic on 64 KiB hostile inputs.
import { decodeUtf8Lossy } from "../text/utf8";

export class ByteBuffer {
  private data: StaticArray<u8>;
  private size: i32 = 0;

  constructor(capacity: i32) {
    this.data = new StaticArray<u8>(max(capacity, 16));
  }

  get length(): i32 {
    return this.size;
  }

  /** Byte at `i`, or -1 outside the buffer. */
  byteAt(i: i32): i32 {
    return i >= 0 && i < this.size ? <i32>unchecked(this.data[i]) : -1;
  }

  setByte(i: i32, b: i32): void {
    if (i >= 0 && i < this.size) unchecked(this.data[i] = <u8>b);
  }

  /** Drops everything from `length` on (no-op when it is not shorter). */
  truncate(length: i32): void {
    if (length >= 0 && length < this.size) this.size = length;
  }

  @inline push(b: i32): void {
    if (this.size == this.data.length) this.grow();
    unchecked(this.data[this.size++] = <u8>b);
  }

  private grow(): void {
    const bigger = new StaticArray<u8>(this.size << 1);
    memory.copy(changetype<usize>(bigger), changetype<usize>(this.data), <usize>this.size);
    this.data = bigger;
  }

  /** Appends an ASCII string. */
  pushAscii(s: string): void {
    for (let i = 0; i < s.length; i++) this.push(s.charCodeAt(i));
  }

  /** Appends the UTF-8 form of `cp`, each byte as `%XX` (upper-case hex) when `escape`. */
  pushCodePoint(cp: i32, escape: bool): void {
    if (cp < 0x80) {
      this.pushByte(cp, escape);
    } else if (cp < 0x800) {
      this.pushByte(0xC0 | (cp >> 6), escape);
      this.pushByte(0x80 | (cp & 0x3F), escape);
    } else if (cp < 0x10000) {
      this.pushByte(0xE0 | (cp >> 12), escape);
      this.pushByte(0x80 | ((cp >> 6) & 0x3F), escape);
      this.pushByte(0x80 | (cp & 0x3F), escape);
    } else {
      this.pushByte(0xF0 | (cp >> 18), escape);
      this.pushByte(0x80 | ((cp >> 12) & 0x3F), escape);
      this.pushByte(0x80 | ((cp >> 6) & 0x3F), escape);
      this.pushByte(0x80 | (cp & 0x3F), escape);
    }
  }

  private pushByte(b: i32, escape: bool): void {
    if (!escape) {
      this.push(b);
      return;
    }
    this.push(0x25); // %
    this.push(hexDigit(b >> 4));
    this.push(hexDigit(b & 15));
  }

  /** The content as a string; only valid when every byte is ASCII. */
  toAscii(): string {
    return String.UTF8.decodeUnsafe(changetype<usize>(this.data), <usize>this.size);
  }

  toUtf8Lossy(): string {
    return decodeUtf8Lossy(changetype<usize>(this.data), <usize>this.size);
  }
}

function hexDigit(d: i32): i32 {
  return d < 10 ? 0x30 + d : 0x37 + d;
}
