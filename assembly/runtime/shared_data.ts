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

/** a value as bytes with its CAS token; value null: no such key */
export class SharedBytes {
  constructor(public value: ArrayBuffer | null, public cas: u32) {}
}

export abstract class SharedData {
  /** the value of the key written as UTF-8 at `keyPtr` (a reusable buffer: no allocation for the key) */
  abstract readText(keyPtr: usize, keyLength: usize): SharedText;
  /** cas 0 writes unconditionally; false when refused (another writer since `cas`) */
  abstract writeText(keyPtr: usize, keyLength: usize, value: string, cas: u32): bool;
  abstract read(key: string): SharedBytes;
  abstract write(key: string, value: ArrayBuffer, cas: u32): bool;
}
