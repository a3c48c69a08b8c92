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

/**
 * a value read up to its first newline (`SharedData.readHead`): `text` is what precedes it;
 * `hasTail`: the value has a newline; `tailMatches`: what follows it is the expected text
 */
export class SharedHead extends SharedText {
  constructor(head: string | null, cas: u32, public hasTail: bool, public tailMatches: bool) {
    super(head, cas);
  }

  get isEmpty(): bool {
    const t = this.text;
    return t == null || (t.length == 0 && !this.hasTail);
  }
}

/** a value as bytes with its CAS token; value null: no such key */
export class SharedBytes {
  constructor(public value: ArrayBuffer | null, public cas: u32) {}
}

export abstract class SharedData {
  /** the value of the key written as UTF-8 at `keyPtr` (a reusable buffer: no allocation for the key) */
  abstract readText(keyPtr: usize, keyLength: usize): SharedText;
  /**
   * `readText` up to the value's first newline, comparing what follows with `expected` in place:
   * for values "<head>\n<key>" whose key is only compared (no decoding, no copy of it)
   */
  abstract readHead(keyPtr: usize, keyLength: usize, expected: string): SharedHead;
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

  readHead(keyPtr: usize, keyLength: usize, expected: string): SharedHead {
    const key = String.UTF8.decodeUnsafe(keyPtr, keyLength);
    if (!this.values.has(key)) return new SharedHead(null, 0, false, false);
    const value = this.values.get(key);
    const newline = value.indexOf("\n");
    if (newline < 0) return new SharedHead(value, this.tokens.get(key), false, false);
    const matches = value.length - newline - 1 == expected.length && value.endsWith(expected);
    return new SharedHead(value.substring(0, newline), this.tokens.get(key), true, matches);
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
