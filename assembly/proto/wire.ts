// Protobuf wire-format reading (docs/design.md §2) over raw memory, with prost's error
// rules so that what the reference cannot decode fails here too. Every read is bounds-checked
// against `end`: malformed or truncated input clears `ok`, it never traps.
import { isValidUtf8 } from "../text/utf8";

export const VARINT: u32 = 0;
export const FIXED64: u32 = 1;
export const LENGTH_DELIMITED: u32 = 2;
const START_GROUP: u32 = 3;
const END_GROUP: u32 = 4;
const FIXED32: u32 = 5;

/** prost's recursion limit: nested messages (and groups) deeper than this fail */
export const MAX_NESTING: i32 = 100;

export class WireReader {
  ok: bool = true;
  /** field number and wire type of the last key read */
  field: u32 = 0;
  wire: u32 = 0;

  constructor(public pos: usize, public end: usize) {}

  get more(): bool { return this.ok && this.pos < this.end; }

  fail(): void { this.ok = false; }

  varint(): u64 {
    let v: u64 = 0;
    for (let k: u64 = 0; k < 10; k++) {
      if (this.pos >= this.end) break;
      const b = <u64>load<u8>(this.pos++);
      if (k == 9 && b > 1) break; // more than 64 bits
      v |= (b & 0x7f) << (7 * k);
      if (b < 0x80) return v;
    }
    this.fail();
    return 0;
  }

  /** reads a field key into `field`/`wire`; false at a malformed key */
  key(): bool {
    const k = this.varint();
    if (k > <u64>U32.MAX_VALUE || (k & 7) > <u64>FIXED32 || (k >> 3) == 0) this.fail();
    this.field = <u32>(k >> 3);
    this.wire = <u32>(k & 7);
    return this.ok;
  }

  fixed64(): u64 {
    if (this.end - this.pos < 8) { this.fail(); return 0; }
    const v = load<u64>(this.pos); // Wasm memory is little-endian, as the wire format
    this.pos += 8;
    return v;
  }

  /** reads a length prefix and narrows `end` to the payload; returns the outer end for `leave` */
  enter(): usize {
    const outer = this.end;
    const len = this.varint();
    if (len > <u64>(this.end - this.pos)) this.fail();
    if (this.ok) this.end = this.pos + <usize>len;
    return outer;
  }

  /** back to the enclosing message after a payload was read to its end */
  leave(outer: usize): void {
    if (this.pos != this.end) this.fail();
    this.end = outer;
  }

  /** a length-delimited UTF-8 string (prost rejects invalid UTF-8) */
  string(): string {
    const outer = this.enter();
    if (!this.ok) return "";
    const start = this.pos;
    const len = this.end - start;
    this.pos = this.end;
    this.leave(outer);
    if (!isValidUtf8(start, len)) { this.fail(); return ""; }
    return String.UTF8.decodeUnsafe(start, len);
  }

  /** skips the value of an unknown field (the key was just read); `depth` = nesting left */
  skip(depth: i32): void {
    if (depth <= 0) { this.fail(); return; }
    const wire = this.wire;
    if (wire == VARINT) this.varint();
    else if (wire == FIXED64) this.advance(8);
    else if (wire == FIXED32) this.advance(4);
    else if (wire == LENGTH_DELIMITED) this.leave(this.enterAndSkip());
    else if (wire == START_GROUP) this.skipGroup(this.field, depth);
    else this.fail(); // an END_GROUP without its START_GROUP
  }

  private enterAndSkip(): usize {
    const outer = this.enter();
    if (this.ok) this.pos = this.end;
    return outer;
  }

  private skipGroup(field: u32, depth: i32): void {
    while (this.more && this.key()) {
      if (this.wire == END_GROUP) {
        if (this.field != field) this.fail();
        return;
      }
      this.skip(depth - 1);
    }
    this.fail(); // input ended inside the group
  }

  private advance(n: usize): void {
    if (this.end - this.pos < n) this.fail();
    else this.pos += n;
  }
}
