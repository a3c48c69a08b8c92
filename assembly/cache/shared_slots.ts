// A fixed number of shared-data keys ("slots") that all worker VMs of a plugin read and write
// (docs/design.md §4). Shared data has no delete and no listing, so the number of slots is
// the memory bound, and an entry is found by hashing its key to a slot. Slot keys are written
// into one reusable buffer: the request path allocates nothing to name a slot.
import { SharedData, SharedText, SlotHead } from "../runtime/shared_data";

/**
 * The CAS token used to create a slot that does not exist yet: the host creates a missing key
 * whatever the token, but refuses this one if another worker created the key in between (real
 * tokens come from a counter that would need 2^32 writes to reach it).
 */
const CREATE_CAS: u32 = U32.MAX_VALUE;
/** slots an entry may live in: its home slot and the next ones (a short, bounded probe) */
export const PROBES: u32 = 4;
/** room for a slot index in decimal */
const INDEX_DIGITS: i32 = 10;

export class SharedSlots {
  /** "<prefix><index>" as UTF-8; the prefix is written once */
  private key: ArrayBuffer;
  private prefixLength: i32;
  /** the head read or written last (see `readHead`) */
  readonly head: SlotHead = new SlotHead();

  constructor(private store: SharedData, prefix: string, public size: u32) {
    const p = String.UTF8.encode(prefix);
    this.prefixLength = p.byteLength;
    this.key = new ArrayBuffer(p.byteLength + INDEX_DIGITS);
    memory.copy(changetype<usize>(this.key), changetype<usize>(p), <usize>p.byteLength);
  }

  /** the `p`-th slot (p < PROBES) an entry of `hash` may live in: its home slot, then the next */
  probe(hash: u32, p: u32): u32 {
    return (hash % this.size + p) % this.size;
  }

  /** the slot's value as text: null when it was never written */
  read(index: u32): SharedText {
    return this.store.readText(changetype<usize>(this.key), this.name(index));
  }

  /**
   * for values "<head>\n<key>": the head, as bytes, and whether the key is `key` (compared in
   * place, not decoded), in `head`: valid until the next read or write of this table
   */
  readHead(index: u32, key: string): SlotHead {
    const head = this.head;
    this.store.readHead(changetype<usize>(this.key), this.name(index), key, head);
    return head;
  }

  /** the token to write a slot read as `exists`/`cas` with (see CREATE_CAS) */
  token(exists: bool, cas: u32): u32 {
    return exists ? cas : CREATE_CAS;
  }

  /** false when another worker wrote the slot since `seen` was read */
  write(index: u32, text: string, seen: SharedText): bool {
    return this.store.writeText(changetype<usize>(this.key), this.name(index), text, this.token(seen.text != null, seen.cas));
  }

  /** "<head>\n<key>" with `head` as last built (`head.clear()`...); `token`: see `token`, 0 unconditional */
  writeHead(index: u32, key: string, token: u32): bool {
    return this.store.writeHead(changetype<usize>(this.key), this.name(index), this.head, key, token);
  }

  /** writes the index after the prefix; returns the key's length in bytes */
  private name(index: u32): usize {
    let digits = 1;
    for (let v = index; v >= 10; v /= 10) digits++;
    const base = changetype<usize>(this.key) + <usize>this.prefixLength;
    let v = index;
    for (let i = digits - 1; i >= 0; i--) {
      store<u8>(base + <usize>i, <u8>(0x30 + v % 10));
      v /= 10;
    }
    return <usize>(this.prefixLength + digits);
  }
}
