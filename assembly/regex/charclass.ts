// Sets of code points for `[...]`, `\d`-style and `[:name:]` classes.

export const MAX_CODE_POINT: u32 = 0x10ffff;

/** A set of code points as sorted, disjoint, non-adjacent [lo, hi] ranges. */
export class CharClass {
  // lo0, hi0, lo1, hi1, ...; canonical only after finish().
  private ranges: Array<u32> = [];
  private dirty: bool = false;
  // Membership of code points 0..127, so that the common case skips the range search.
  private ascii: StaticArray<u32> = new StaticArray<u32>(4);

  add(lo: u32, hi: u32): void {
    this.ranges.push(lo);
    this.ranges.push(hi);
    this.dirty = true;
  }

  addClass(other: CharClass): void {
    other.finish();
    for (let i = 0; i < other.ranges.length; i++) this.ranges.push(other.ranges[i]);
    this.dirty = true;
  }

  /** Sorts and merges the ranges; call before matching. */
  finish(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const packed = new Array<u64>(this.ranges.length >> 1);
    for (let i = 0; i < packed.length; i++) {
      packed[i] = (<u64>this.ranges[i << 1] << 32) | <u64>this.ranges[(i << 1) + 1];
    }
    packed.sort();
    const merged = new Array<u32>();
    for (let i = 0; i < packed.length; i++) {
      const lo = <u32>(packed[i] >> 32);
      const hi = <u32>packed[i];
      const last = merged.length - 1;
      if (last > 0 && lo <= merged[last] + 1) {
        if (hi > merged[last]) merged[last] = hi;
      } else {
        merged.push(lo);
        merged.push(hi);
      }
    }
    this.ranges = merged;
    for (let w = 0; w < 4; w++) this.ascii[w] = 0;
    for (let i = 0; i < merged.length && merged[i] < 128; i += 2) {
      const hi = min(merged[i + 1], 127);
      for (let c = merged[i]; c <= hi; c++) this.ascii[c >> 5] |= 1 << (c & 31);
    }
  }

  contains(cp: i32): bool {
    if (<u32>cp < 128) return (unchecked(this.ascii[cp >> 5]) & (1 << (cp & 31))) != 0; // 4 words: always in range
    return this.searchRanges(<u32>cp);
  }

  negated(): CharClass {
    this.finish();
    const out = new CharClass();
    let next: u32 = 0;
    for (let i = 0; i < this.ranges.length; i += 2) {
      if (this.ranges[i] > next) out.add(next, this.ranges[i] - 1);
      next = this.ranges[i + 1] + 1;
    }
    if (next <= MAX_CODE_POINT) out.add(next, MAX_CODE_POINT);
    out.finish();
    return out;
  }

  private searchRanges(cp: u32): bool {
    let lo = 0;
    let hi = (this.ranges.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < this.ranges[mid << 1]) hi = mid - 1;
      else if (cp > this.ranges[(mid << 1) + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

export function union(a: CharClass, b: CharClass): CharClass {
  const out = new CharClass();
  out.addClass(a);
  out.addClass(b);
  out.finish();
  return out;
}

export function intersection(a: CharClass, b: CharClass): CharClass {
  return union(a.negated(), b.negated()).negated();
}

export function difference(a: CharClass, b: CharClass): CharClass {
  return intersection(a, b.negated());
}

export function symmetricDifference(a: CharClass, b: CharClass): CharClass {
  return difference(union(a, b), intersection(a, b));
}

// POSIX names usable as `[[:name:]]`, each with its ranges as pairs of characters.
const ASCII_NAMES: string[] = [
  "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph",
  "lower", "print", "punct", "space", "upper", "word", "xdigit",
];
const ASCII_RANGES: string[] = [
  "09AZaz", "AZaz", "\x00\x7f", "\t\t  ", "\x00\x1f\x7f\x7f", "09", "!~",
  "az", " ~", "!/:@[`{~", "\t\r  ", "AZ", "09AZ__az", "09AFaf",
];

/** The ASCII class called `name` (`digit`, `word`, ...), or null for an unknown name. */
export function asciiClass(name: string): CharClass | null {
  const index = ASCII_NAMES.indexOf(name);
  if (index < 0) return null;
  const pairs = ASCII_RANGES[index];
  const out = new CharClass();
  for (let i = 0; i + 1 < pairs.length; i += 2) out.add(pairs.charCodeAt(i), pairs.charCodeAt(i + 1));
  out.finish();
  return out;
}

