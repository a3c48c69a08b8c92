// Seam for Envoy's shared data (docs/design.md §4): a process-wide key-value store with
// compare-and-swap tokens. cache/ and system/ use it through this class, so they run without a
// host; filter/ gives them the host's, unit tests an in-memory one.

/** a value read as text (invalid UTF-8 replaced) with its CAS token; text null: no such key */
export class SharedText {
  constructor(public text: string | null, public cas: u32) {}

  get isEmpty(): bool {
    const t = this.text;
    return t == null || t.length == 0;
  }
}

/** bytes a value's head may have: longer heads are never this module's (they read as no head) */
const HEAD_ROOM: i32 = 320;

/**
 * For values "<head>\n<key>" whose key is only compared: a value's head as UTF-8 bytes in a
 * fixed buffer, read (`SharedData.readHead`) or written (`writeHead`) without allocating.
 * One per slot table, reused by every read and write of it: its content lasts until the next.
 */
export class SlotHead {
  private bytes: StaticArray<u8> = new StaticArray<u8>(HEAD_ROOM);
  /** bytes of the head; -1: longer than HEAD_ROOM (never this module's), or a write that did not fit */
  length: i32 = 0;
  /** the key exists; `cas`: its token */
  exists: bool = false;
  cas: u32 = 0;
  /** the value has a newline; `tailMatches`: what follows it is the expected text */
  hasTail: bool = false;
  tailMatches: bool = false;

  get isEmpty(): bool {
    return !this.exists || (this.length == 0 && !this.hasTail);
  }

  get ptr(): usize {
    return changetype<usize>(this.bytes);
  }

  /** what a read found: `length` head bytes at `ptr` (a missing key: `exists` false) */
  found(exists: bool, cas: u32, ptr: usize, length: usize, hasTail: bool, tailMatches: bool): void {
    this.exists = exists;
    this.cas = cas;
    this.hasTail = hasTail;
    this.tailMatches = tailMatches;
    this.length = length > <usize>HEAD_ROOM ? -1 : <i32>length;
    if (this.length > 0) memory.copy(this.ptr, ptr, length);
  }

  /** the byte at `i`, or -1 past the head */
  byte(i: i32): i32 {
    return i >= 0 && i < this.length ? <i32>unchecked(this.bytes[i]) : -1;
  }

  /** the first `c` at or after `from`, or -1 */
  find(c: i32, from: i32): i32 {
    for (let i = max(from, 0); i < this.length; i++) if (<i32>unchecked(this.bytes[i]) == c) return i;
    return -1;
  }

  /** bytes [start, end) as 1 to 18 digits, or -1 */
  decimal(start: i32, end: i32): i64 {
    if (start < 0 || end > this.length || end <= start || end - start > 18) return -1;
    let v: i64 = 0;
    for (let i = start; i < end; i++) {
      const d = <i32>unchecked(this.bytes[i]) - 0x30;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }

  /** bytes [start, end) are the ASCII text `s` */
  equals(start: i32, end: i32, s: string): bool {
    if (end - start != s.length || start < 0 || end > this.length) return false;
    for (let i = start; i < end; i++) if (<i32>unchecked(this.bytes[i]) != s.charCodeAt(i - start)) return false;
    return true;
  }

  /** bytes [start, end) as text (invalid UTF-8 replaced) */
  text(start: i32, end: i32): string {
    return String.UTF8.decodeUnsafe(this.ptr + <usize>start, <usize>(end - start));
  }

  /** starts a head to write */
  clear(): SlotHead {
    this.length = 0;
    return this;
  }

  addCode(c: i32): SlotHead {
    if (this.length >= 0 && this.length < HEAD_ROOM) unchecked(this.bytes[this.length++] = <u8>c);
    else this.length = -1;
    return this;
  }

  addUint(v: u64): SlotHead {
    let digits = 1;
    for (let m = v; m >= 10; m /= 10) digits++;
    if (this.length < 0 || this.length + digits > HEAD_ROOM) {
      this.length = -1;
      return this;
    }
    for (let i = this.length + digits - 1; i >= this.length; i--) {
      unchecked(this.bytes[i] = <u8>(0x30 + v % 10));
      v /= 10;
    }
    this.length += digits;
    return this;
  }

  /** ASCII text (statuses, queue lists): any other character makes the head unwritable */
  addAscii(s: string): SlotHead {
    for (let i = 0; i < s.length; i++) this.addCode(s.charCodeAt(i) < 0x80 ? s.charCodeAt(i) : -1);
    return this;
  }
}

/** a value as bytes with its CAS token; value null: no such key */
export class SharedBytes {
  constructor(public value: ArrayBuffer | null, public cas: u32) {}
}

export abstract class SharedData {
  /** the value of the key written as UTF-8 at `keyPtr` (a reusable buffer: no allocation for the key) */
  abstract readText(keyPtr: usize, keyLength: usize): SharedText;
  /** reads the value's head into `into`, comparing what follows its newline with `expected` in place */
  abstract readHead(keyPtr: usize, keyLength: usize, expected: string, into: SlotHead): void;
  /** writes "<head>\n<tail>"; false when refused (as `writeText`) or the head did not fit */
  abstract writeHead(keyPtr: usize, keyLength: usize, head: SlotHead, tail: string, cas: u32): bool;
  /** cas 0 writes unconditionally; false when refused (another writer since `cas`) */
  abstract writeText(keyPtr: usize, keyLength: usize, value: string, cas: u32): bool;
  abstract read(key: string): SharedBytes;
  abstract write(key: string, value: ArrayBuffer, cas: u32): bool;
}

/**
 * Shared data in memory, as Envoy keeps it (a CAS token per key, changed by every write): for
 * code run without a host (the WASI harness, unit tests).
 */
export class MemorySharedData extends SharedData {
  private values: Map<string, string> = new Map<string, string>();
  private tokens: Map<string, u32> = new Map<string, u32>();
  private next: u32 = 1;

  readText(keyPtr: usize, keyLength: usize): SharedText {
    const key = String.UTF8.decodeUnsafe(keyPtr, keyLength);
    return this.values.has(key) ? new SharedText(this.values.get(key), this.tokens.get(key)) : new SharedText(null, 0);
  }

  readHead(keyPtr: usize, keyLength: usize, expected: string, into: SlotHead): void {
    const key = String.UTF8.decodeUnsafe(keyPtr, keyLength);
    if (!this.values.has(key)) return into.found(false, 0, 0, 0, false, false);
    const value = this.values.get(key);
    const newline = value.indexOf("\n");
    const head = String.UTF8.encode(newline < 0 ? value : value.substring(0, newline));
    into.found(true, this.tokens.get(key), changetype<usize>(head), head.byteLength, newline >= 0, newline >= 0 && value.substring(newline + 1) == expected);
  }

  writeHead(keyPtr: usize, keyLength: usize, head: SlotHead, tail: string, cas: u32): bool {
    return head.length >= 0 && this.put(String.UTF8.decodeUnsafe(keyPtr, keyLength), head.text(0, head.length) + "\n" + tail, cas);
  }

  writeText(keyPtr: usize, keyLength: usize, value: string, cas: u32): bool {
    return this.put(String.UTF8.decodeUnsafe(keyPtr, keyLength), value, cas);
  }

  read(key: string): SharedBytes {
    return this.values.has(key) ? new SharedBytes(String.UTF8.encode(this.values.get(key)), this.tokens.get(key)) : new SharedBytes(null, 0);
  }

  write(key: string, value: ArrayBuffer, cas: u32): bool {
    return this.put(key, String.UTF8.decode(value), cas);
  }

  /** a missing key is created whatever the token; an existing one is written with its token or 0 */
  put(key: string, value: string, cas: u32): bool {
    if (this.values.has(key) && cas != 0 && cas != this.tokens.get(key)) return false;
    this.values.set(key, value);
    this.tokens.set(key, this.next++);
    return true;
  }
}
