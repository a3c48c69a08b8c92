// Usage waiting to be reported, shared by all workers (docs/design.md §5 "batch"): one
// slot per transaction key holding how many requests used it since the last report. Slots are
// claimed and updated by compare-and-swap, so concurrent workers never lose an increment, and
// a report takes a slot by swapping it empty, so no request is reported twice. Being shared
// data, pending usage outlives a VM: after a reload the new VM reports what the old one left.
// Value: "<requests> <failed deliveries>\n<key>"; "" is a free slot. A request's update reads and
// writes the head as bytes (SlotHead): it allocates nothing.
import { PROBES, SharedSlots } from "./shared_slots";
import { TransactionKey } from "../backend/transaction";
import { SlotHead } from "../runtime/shared_data";
import { parseDecimalIn } from "../text/decimal";

/** CAS retries per slot: contention is between a few workers */
const ATTEMPTS: i32 = 4;

export class PendingUsage {
  constructor(public key: string, public requests: i64, public failures: u32) {}
}

export class UsageTable {
  constructor(private slots: SharedSlots) {}

  get size(): u32 { return this.slots.size; }

  /**
   * adds `requests` uses of `key` (with `failures` failed deliveries behind them); returns the
   * slot used, or -1 when every probed slot holds another key or stayed contended
   */
  add(key: TransactionKey, requests: i64, failures: u32): i64 {
    return this.addText(key.text, key.hash, requests, failures);
  }

  addText(text: string, hash: u32, requests: i64, failures: u32): i64 {
    for (let p: u32 = 0; p < PROBES; p++) {
      const index = this.slots.probe(hash, p);
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const seen = this.slots.readHead(index, text);
        const token = this.slots.token(seen.exists, seen.cas);
        let sum = requests, most = failures;
        if (!seen.isEmpty) {
          const had = requestsIn(seen);
          if (had < 0) break; // another key (or junk) lives here: probe on
          sum += had;
          most = max(<u32>seen.decimal(seen.find(0x20, 0) + 1, seen.length), failures);
        }
        seen.clear().addUint(<u64>sum).addCode(0x20).addUint(most);
        if (this.slots.writeHead(index, text, token)) return <i64>index;
      }
    }
    return -1;
  }

  /** the requests of `key` waiting to be reported (reads only) */
  pending(key: TransactionKey): i64 {
    for (let p: u32 = 0; p < PROBES; p++) {
      const requests = requestsIn(this.slots.readHead(this.slots.probe(key.hash, p), key.text));
      if (requests >= 0) return requests;
    }
    return 0;
  }

  /** whether slot `index` holds anything (a read, no write) */
  occupied(index: u32): bool {
    return !this.slots.read(index).isEmpty;
  }

  /** empties slot `index` and returns what it held (null: empty, or still contended) */
  take(index: u32): PendingUsage | null {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const seen = this.slots.read(index);
      if (seen.isEmpty) return null;
      if (!this.slots.write(index, "", seen)) continue;
      const text = seen.text!;
      const newline = text.indexOf("\n");
      return newline < 0 ? null : decode(text.substring(0, newline), text.substring(newline + 1));
    }
    return null;
  }
}

/** the requests of the entry read for its key (`readHead`), or -1: another key's, or anything this module did not write */
function requestsIn(seen: SlotHead): i64 {
  const space = seen.tailMatches ? seen.find(0x20, 0) : -1;
  const requests = seen.decimal(0, space), failures = seen.decimal(space + 1, seen.length);
  return space < 0 || failures < 0 || failures > <i64>U32.MAX_VALUE ? -1 : requests;
}

/** the entry of `key` from its slot's head (before the newline); null for anything this module did not write (the slot is then overwritten or emptied) */
function decode(head: string, key: string): PendingUsage | null {
  const space = head.indexOf(" ");
  if (space < 0) return null;
  const requests = parseDecimalIn(head, 0, space);
  const failures = parseDecimalIn(head, space + 1, head.length);
  if (requests < 0 || failures < 0 || failures > <i64>U32.MAX_VALUE) return null;
  return new PendingUsage(key, requests, <u32>failures);
}
