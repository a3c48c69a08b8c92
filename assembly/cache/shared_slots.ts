// A fixed number of shared-data keys ("slots") that all worker VMs of a plugin read and write
// (proxy-wasm-host.md §6). Shared data has no delete and no listing, so the number of slots is
// the memory bound, and an entry is found by hashing its key to a slot.
import { Status } from "../abi/enums";
import * as host from "../abi/host";

/**
 * The CAS token used to create a slot that does not exist yet: the host creates a missing key
 * whatever the token, but refuses this one if another worker created the key in between (real
 * tokens come from a counter that would need 2^32 writes to reach it).
 */
const CREATE_CAS: u32 = U32.MAX_VALUE;

export class SlotValue {
  /** text null: the slot was never written */
  constructor(public text: string | null, public cas: u32) {}

  get isEmpty(): bool {
    const t = this.text;
    return t == null || t.length == 0;
  }
}

export class SharedSlots {
  constructor(private prefix: string, public size: u32) {}

  /** the slot an entry starts probing at */
  home(hash: u32): u32 {
    return hash % this.size;
  }

  read(index: u32): SlotValue {
    const stored = host.getSharedData(this.key(index));
    const value = stored.value;
    return new SlotValue(value ? String.UTF8.decode(value) : null, stored.cas);
  }

  /** false when another worker wrote the slot since `seen` was read */
  write(index: u32, text: string, seen: SlotValue): bool {
    const cas = seen.text == null ? CREATE_CAS : seen.cas;
    return host.setSharedData(this.key(index), String.UTF8.encode(text), cas) == Status.Ok;
  }

  /** unconditional: for entries where the last writer may win */
  overwrite(index: u32, text: string): void {
    host.setSharedData(this.key(index), String.UTF8.encode(text), 0);
  }

  private key(index: u32): string {
    return this.prefix + index.toString();
  }
}
