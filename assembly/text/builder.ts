// The one way to build a string from pieces. The minimal runtime collects only between
// callbacks, so `+=` in a loop keeps every intermediate string alive until the callback returns
// (memory quadratic in the input), and `Array<string>.join` compiles to such a loop in the
// release build (shrink level ≥ 1). This buffer grows geometrically: building costs at most
// about three times the result, whatever the number of pieces.

export class StringBuilder {
  private data: StaticArray<u16>;
  private size: i32 = 0;

  constructor(capacity: i32 = 16) {
    this.data = new StaticArray<u16>(max(capacity, 16));
  }

  get length(): i32 {
    return this.size;
  }

  /** empties the builder, keeping its capacity for what is built next */
  clear(): StringBuilder {
    this.size = 0;
    return this;
  }

  /** appends `s` */
  add(s: string): StringBuilder {
    return this.addRange(s, 0, s.length);
  }

  /** appends `s[start, end)` without building the substring */
  addRange(s: string, start: i32, end: i32): StringBuilder {
    const n = end - start;
    if (n <= 0) return this;
    this.reserve(n);
    memory.copy(changetype<usize>(this.data) + (<usize>this.size << 1), changetype<usize>(s) + (<usize>start << 1), <usize>n << 1);
    this.size += n;
    return this;
  }

  /** appends one UTF-16 code unit */
  addCode(c: i32): StringBuilder {
    this.reserve(1);
    unchecked(this.data[this.size++] = <u16>c);
    return this;
  }

  /** appends one code point (a surrogate pair above U+FFFF) */
  addCodePoint(cp: i32): StringBuilder {
    if (cp < 0x10000) return this.addCode(cp);
    cp -= 0x10000;
    return this.addCode(0xd800 | (cp >> 10)).addCode(0xdc00 | (cp & 0x3ff));
  }

  /** appends the decimal form of `n` */
  addInt(n: i64): StringBuilder {
    return this.add(n.toString());
  }

  /** appends the decimal form of `n` */
  addUint(n: u64): StringBuilder {
    return this.add(n.toString());
  }

  /** the pieces of `items` with `separator` between them */
  addJoined(items: Array<string>, separator: string): StringBuilder {
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.add(separator);
      this.add(unchecked(items[i]));
    }
    return this;
  }

  toString(): string {
    return String.UTF16.decodeUnsafe(changetype<usize>(this.data), <usize>this.size << 1);
  }

  private reserve(extra: i32): void {
    const needed = this.size + extra;
    if (needed <= this.data.length) return;
    let capacity = this.data.length << 1;
    if (capacity < needed) capacity = needed;
    const bigger = new StaticArray<u16>(capacity);
    memory.copy(changetype<usize>(bigger), changetype<usize>(this.data), <usize>this.size << 1);
    this.data = bigger;
  }
}

/** `items` joined by `separator`, built linearly (use instead of `Array#join`) */
export function joinStrings(items: Array<string>, separator: string): string {
  let total = 0;
  for (let i = 0; i < items.length; i++) total += unchecked(items[i]).length;
  return new StringBuilder(total + separator.length * max(items.length - 1, 0)).addJoined(items, separator).toString();
}
