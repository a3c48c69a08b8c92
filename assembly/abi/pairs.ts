// The header-map wire format (docs/design.md §2): u32 count, count × (u32 key length,
// u32 value length), then each key and value followed by a NUL byte. Decoding checks every
// length against the block, so a malformed block from the host yields no pairs, not a trap.
import { decodeUtf8Lossy, equalsUtf8, isAsciiText, writeUtf8 } from "../text/utf8";

/** flat [name0, value0, name1, value1, ...]; invalid UTF-8 is replaced by U+FFFD */
export function decodePairs(ptr: usize, size: usize): Array<string> {
  const out = new Array<string>();
  if (size < 4) return out;
  const count = <usize>load<u32>(ptr);
  if (count > (size - 4) / 8) return out;
  let data = ptr + 4 + count * 8;
  const end = ptr + size;
  for (let i: usize = 0; i < count; i++) {
    const keyLen = <usize>load<u32>(ptr + 4 + i * 8);
    const valueLen = <usize>load<u32>(ptr + 8 + i * 8);
    if (keyLen > end - data || valueLen > end - data - keyLen || end - data - keyLen - valueLen < 2) return new Array<string>();
    out.push(decodeUtf8Lossy(data, keyLen));
    data += keyLen + 1;
    out.push(decodeUtf8Lossy(data, valueLen));
    data += valueLen + 1;
  }
  return out;
}

/**
 * the buffer of borrowed blocks: request headers up to this size (larger blocks get their own,
 * so it never grows)
 */
const SCRATCH = new ArrayBuffer(4096);

/**
 * A header map's block, copied once and read in place: a lookup compares names as bytes and
 * decodes only the value it returns (a request needs a handful of its headers). Lookups give
 * what a search of `decodePairs`' result would; a malformed block has no pairs.
 */
export class PairBlock {
  private bytes: ArrayBuffer;
  private count: usize = 0;
  /** `bytes` is the shared SCRATCH: valid until the next borrowed block, unless `keep` copies it */
  private borrowed: bool = false;
  private size: usize = 0;

  /** `borrow`: into the buffer the next borrowed block reuses (a block read within one callback allocates no copy) */
  constructor(ptr: usize, size: usize, borrow: bool = false) {
    const count: usize = size < 4 ? 0 : <usize>load<u32>(ptr);
    const valid = size >= 4 && count <= (size - 4) / 8 && pairsFit(ptr, size, count);
    const length = valid ? <i32>size : 0;
    const borrowed = borrow && length <= SCRATCH.byteLength;
    this.bytes = borrowed ? SCRATCH : new ArrayBuffer(length);
    this.borrowed = borrowed;
    this.size = <usize>length;
    if (valid) {
      memory.copy(changetype<usize>(this.bytes), ptr, size);
      this.count = count;
    }
  }

  /** the block is read after this callback: a borrowed one gets a copy of its own */
  keep(): void {
    if (!this.borrowed) return;
    this.borrowed = false;
    const own = new ArrayBuffer(<i32>this.size);
    memory.copy(changetype<usize>(own), changetype<usize>(this.bytes), this.size);
    this.bytes = own;
  }

  /** the value of the first pair named `name`, invalid UTF-8 replaced by U+FFFD; null when none */
  find(name: string): string | null {
    const base = changetype<usize>(this.bytes);
    const ascii = isAsciiText(name);
    let data = base + 4 + this.count * 8;
    for (let i: usize = 0; i < this.count; i++) {
      const keyLen = <usize>load<u32>(base + 4 + i * 8);
      const valueLen = <usize>load<u32>(base + 8 + i * 8);
      const value = data + keyLen + 1;
      if (equalsUtf8(data, keyLen, name, ascii)) return decodeValue(value, valueLen);
      data = value + valueLen + 1;
    }
    return null;
  }
}

/** values so common that a lookup returns the constant rather than a copy: methods and schemes */
const COMMON_VALUES: StaticArray<string> = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "http", "https"];

function decodeValue(ptr: usize, length: usize): string {
  if (length <= 7) {
    for (let i = 0; i < COMMON_VALUES.length; i++) if (equalsUtf8(ptr, length, unchecked(COMMON_VALUES[i]), true)) return unchecked(COMMON_VALUES[i]);
  }
  return decodeUtf8Lossy(ptr, length);
}

/** every pair's lengths stay within the block (the checks of `decodePairs`) */
function pairsFit(ptr: usize, size: usize, count: usize): bool {
  let data = ptr + 4 + count * 8;
  const end = ptr + size;
  for (let i: usize = 0; i < count; i++) {
    const keyLen = <usize>load<u32>(ptr + 4 + i * 8);
    const valueLen = <usize>load<u32>(ptr + 8 + i * 8);
    if (keyLen > end - data || valueLen > end - data - keyLen || end - data - keyLen - valueLen < 2) return false;
    data += keyLen + valueLen + 2;
  }
  return true;
}

/** room `encodePairsAt` needs for flat [name, value, ...] pairs (up to 3 bytes per code unit) */
export function pairsRoom(pairs: Array<string>): usize {
  const n = pairs.length >> 1;
  let size: usize = 4 + <usize>n * 8;
  for (let i = 0; i < n * 2; i++) size += <usize>pairs[i].length * 3 + 1;
  return size;
}

/** serialises flat [name, value, ...] pairs at `base` (pairsRoom bytes of room); returns the bytes written */
export function encodePairsAt(pairs: Array<string>, base: usize): usize {
  const n = pairs.length >> 1;
  store<u32>(base, <u32>n);
  let data = base + 4 + <usize>n * 8;
  for (let i = 0; i < n * 2; i++) {
    const len = writeUtf8(pairs[i], data);
    store<u32>(base + 4 + <usize>i * 4, <u32>len);
    store<u8>(data + len, 0);
    data += len + 1;
  }
  return data - base;
}
