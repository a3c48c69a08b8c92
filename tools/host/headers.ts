// Envoy's HTTP header map as the module sees it (§4.3): names ASCII-lower-cased on insertion,
// pseudo-headers kept ahead of the others, `get` = first value only, `replace` = remove every
// occurrence then add, byte size = sum of name and value lengths. Values are arbitrary bytes.
import { binary, fromBinary, toBytes, toText, toValue, type Value } from "./bytes";
import type { BytePair } from "./pairs";

export type Header = [name: string, value: Value];

const lower = (name: Value) => binary(name).replace(/[A-Z]+/g, (s) => s.toLowerCase());

export class HeaderMap {
  /** [lower-cased binary name, value] in Envoy's iteration order */
  private entries: [string, Uint8Array][] = [];

  constructor(pairs: BytePair[] = []) {
    this.reset(pairs);
  }

  static of(headers: Header[]): HeaderMap {
    return new HeaderMap(headers.map(([name, value]) => [toBytes(name), toBytes(value)]));
  }

  get size(): number {
    return this.entries.length;
  }

  get(name: Value): Uint8Array | undefined {
    const key = lower(name);
    return this.entries.find(([k]) => k === key)?.[1];
  }

  add(name: Value, value: Value): void {
    const key = lower(name);
    const entry: [string, Uint8Array] = [key, toBytes(value).slice()];
    if (!key.startsWith(":")) {
      this.entries.push(entry);
      return;
    }
    const firstRegular = this.entries.findIndex(([k]) => !k.startsWith(":"));
    this.entries.splice(firstRegular < 0 ? this.entries.length : firstRegular, 0, entry);
  }

  replace(name: Value, value: Value): void {
    this.remove(name);
    this.add(name, value);
  }

  remove(name: Value): void {
    const key = lower(name);
    this.entries = this.entries.filter(([k]) => k !== key);
  }

  /** proxy_set_header_map_pairs: the map becomes exactly `pairs` */
  reset(pairs: BytePair[]): void {
    this.entries = [];
    for (const [name, value] of pairs) this.add(name, value);
  }

  byteSize(): number {
    return this.entries.reduce((n, [k, v]) => n + k.length + v.length, 0);
  }

  pairs(): BytePair[] {
    return this.entries.map(([k, v]) => [fromBinary(k), v]);
  }

  toHeaders(): Header[] {
    return this.entries.map(([k, v]) => [toText(fromBinary(k)), toValue(v)]);
  }
}
