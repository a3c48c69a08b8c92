// The authorization cache (docs/design.md §5): the backend's last answer per transaction key, shared by all workers,
// in one of the few slots its hash probes (see `place`: when all of them hold live entries of
// other keys, an allowed answer replaces the home slot's and that key just misses; a denial
// does not, see `store`). Entries carry the configuration's fingerprint (backend and tokens),
// so a re-configure changing those starts cold. Expired entries stay until replaced: the
// failure policy may serve them stale.
// An allowed entry also carries what is left of the backend's `3scale-limit-remaining`, counted
// down by compare-and-swap on every hit whatever the worker: the cache never allows more than
// the backend said remain. And while one worker's authrep for a key is in flight, the entry
// holds a lease: the other workers' misses of that key wait for its answer, leaving the id of
// their worker's wake-up queue in the entry for the lease holder to notify.
// Value: "<fingerprint> <expires ms> <status> <A|L|F|N> <left|-> <lease until ms> <queue ids|->\n<key>",
// queue ids separated by commas.
import { PROBES, SharedSlots } from "./shared_slots";
import { SharedHead } from "../runtime/shared_data";
import { TransactionKey } from "../backend/transaction";
import { parseDecimalIn } from "../text/decimal";
import { StringBuilder } from "../text/builder";

/** None: no answer yet, only a lease */
export enum Verdict { Allowed, LimitsExceeded, Failed, None }
const VERDICT_CODES = "ALFN";
/** an allowance the backend did not bound (no limit, or no limit headers) */
export const UNLIMITED: i64 = -1;
/** CAS retries per claim: contention is between a few workers; then the request asks the backend */
const ATTEMPTS: i32 = 8;
/** queues an entry names at most; a worker beyond them finds the answer at its next tick */
const MAX_WAITERS: i32 = 16;

export class Authorization {
  constructor(
    public verdict: Verdict,
    /** the backend's status, for the local reply's details */
    public status: string,
    public expiresMs: u64,
    /** allowed requests left from the cache, or UNLIMITED */
    public left: i64 = UNLIMITED,
    /** until when a worker's authrep for this key is in flight (0: none) */
    public leaseUntil: u64 = 0,
    /** the wake-up queues of the workers waiting for that authrep: "id,id", or "-" */
    public waiters: string = "-",
  ) {}

  /** an answer still to be used (not a lease alone, not expired) */
  fresh(nowMs: u64): bool {
    return this.verdict != Verdict.None && nowMs < this.expiresMs;
  }

  with(left: i64, leaseUntil: u64, waiters: string = "-"): Authorization {
    return new Authorization(this.verdict, this.status, this.expiresMs, left, leaseUntil, waiters);
  }

  /** `waiters` with `queue` added; null when it is there already or the list is full */
  waitedBy(queue: u32): string | null {
    const id = queue.toString();
    const w = this.waiters;
    if (w == "-") return id;
    let count = 1;
    for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) == 0x2c) count++;
    if (count >= MAX_WAITERS || ("," + w + ",").includes("," + id + ",")) return null;
    return w + "," + id;
  }
}

/** what a request finds in the cache (`acquire`) */
export enum Claim {
  /** allowed: one use taken from the entry */
  Allowed,
  /** denied by the cached entry (`Claimed.entry`) */
  Denied,
  /** another request's authrep for the key is in flight: wait for its answer */
  Wait,
  /** this request's authrep is the one the others wait for: it holds the lease */
  Lead,
  /** ask the backend, without a lease */
  Ask,
}

export class Claimed {
  constructor(public claim: Claim, public entry: Authorization | null = null) {}
}

/** where `key`'s entry is or would go (`AuthorizationCache.place`) */
class Placed {
  constructor(public index: u32, public seen: SharedHead, public held: Authorization | null) {}
}

export class AuthorizationCache {
  /**
   * `recheckMs`: when the allowance is used up, how long the key is refused locally before
   * the backend is asked again: long enough for the usage reported meanwhile to be counted
   */
  constructor(private slots: SharedSlots, private fingerprint: u32, private recheckMs: u64) {}

  get generation(): u32 {
    return this.fingerprint;
  }

  /** the answer for `key` whatever its age, or null */
  lookup(key: TransactionKey): Authorization | null {
    const held = this.place(key, 0, false).held;
    return held && held.verdict != Verdict.None ? held : null;
  }

  /**
   * a fresh answer: an allowed one gives one use of its allowance — the last use turns the
   * entry into a local limits denial until `recheckMs` later. Otherwise, with `leaseUntil` > 0,
   * takes the lease unless another request holds it (Wait: `queue`, when not 0, is named in the
   * entry for the holder to notify) or no probed slot is free and the home slot holds another
   * key's allowed answer (Ask: not evicted for a lease).
   */
  acquire(key: TransactionKey, nowMs: u64, leaseUntil: u64, queue: u32): Claimed {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const at = this.place(key, nowMs, false);
      const index = at.index, seen = at.seen, held = at.held;
      if (held && held.fresh(nowMs)) {
        if (held.verdict != Verdict.Allowed) return new Claimed(Claim.Denied, held);
        if (held.left == UNLIMITED) return new Claimed(Claim.Allowed);
        const next = held.left > 1 ? held.with(held.left - 1, 0) : this.exhausted(held, nowMs);
        if (this.slots.write(index, this.encode(key, next), seen)) return new Claimed(Claim.Allowed);
        continue;
      }
      if (held && held.leaseUntil > nowMs) {
        const waiters = queue != 0 ? held.waitedBy(queue) : null;
        if (waiters == null || this.slots.write(index, this.encode(key, held.with(held.left, held.leaseUntil, waiters)), seen)) return new Claimed(Claim.Wait);
        continue;
      }
      if (leaseUntil == 0 || (!held && this.holdsAllowed(seen))) return new Claimed(Claim.Ask);
      const leased = held ? held.with(held.left, leaseUntil) : new Authorization(Verdict.None, "0", 0, UNLIMITED, leaseUntil);
      if (this.slots.write(index, this.encode(key, leased), seen)) return new Claimed(Claim.Lead);
    }
    return new Claimed(Claim.Ask);
  }

  /** another request's authrep for `key` is in flight and nothing fresh is stored yet */
  awaited(key: TransactionKey, nowMs: u64): bool {
    const held = this.place(key, nowMs, false).held;
    return held != null && !held.fresh(nowMs) && held.leaseUntil > nowMs;
  }

  /**
   * the lease holder got no answer: the waiters stop waiting (and ask the backend themselves);
   * returns the queues to notify ("-": none)
   */
  release(key: TransactionKey): string {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const at = this.place(key, 0, false);
      const held = at.held;
      if (!held || held.leaseUntil == 0) return "-";
      if (this.slots.write(at.index, this.encode(key, held.with(held.left, 0)), at.seen)) return held.waiters;
    }
    return "-";
  }

  /**
   * An allowed answer takes the key's slot (see `place`) whatever it holds; one with nothing
   * left of its allowance is stored as a local limits denial (see `acquire`). A denial never evicts another key's authorization of this configuration, which the failure
   * policy may still need (random invalid keys must not take a valid key's stale authorization
   * away during an outage): it is then not cached, and its key asks the backend again.
   * Returns the queues of the workers that waited for this answer ("-": none).
   */
  store(key: TransactionKey, a: Authorization, nowMs: u64): string {
    const allowed = a.verdict == Verdict.Allowed;
    const text = this.encode(key, allowed && a.left == 0 ? this.exhausted(a, nowMs) : a);
    let index: u32 = 0;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const at = this.place(key, nowMs, allowed);
      const held = at.held;
      index = at.index;
      if (!held && !allowed && this.holdsAllowed(at.seen)) return "-";
      if (this.slots.write(index, text, at.seen)) return held ? held.waiters : "-";
    }
    if (allowed) this.slots.overwrite(index, text); // contended so long: the answer still wins
    return "-";
  }

  /**
   * The slot of `key`'s entry among the slots its hash probes; without one, the first of them
   * free for it — empty, another configuration's, or another key's with neither a fresh answer
   * nor a live lease (an expired allowed answer only when `evictStale`: otherwise the failure
   * policy may still need it) — else the home slot.
   */
  private place(key: TransactionKey, nowMs: u64, evictStale: bool): Placed {
    let home: Placed | null = null;
    let free: Placed | null = null;
    for (let p: u32 = 0; p < PROBES; p++) {
      const index = this.slots.probe(key.hash, p);
      const seen = this.slots.readHead(index, key.text);
      const held = this.decodeFor(seen);
      if (held) return new Placed(index, seen, held);
      const here = new Placed(index, seen, null);
      if (!home) home = here;
      if (!free) {
        const other = this.decodeAny(seen);
        if (!other || (!other.fresh(nowMs) && other.leaseUntil <= nowMs && (evictStale || other.verdict != Verdict.Allowed))) free = here;
      }
    }
    return free ? free : home!;
  }

  /** the allowance is used up: refused locally until the backend has counted what was allowed */
  private exhausted(a: Authorization, nowMs: u64): Authorization {
    return new Authorization(Verdict.LimitsExceeded, a.status, min(a.expiresMs, nowMs + this.recheckMs), 0, 0);
  }

  private encode(key: TransactionKey, a: Authorization): string {
    const text = new StringBuilder(key.text.length + 64)
      .addUint(this.fingerprint).addCode(0x20).addUint(a.expiresMs).addCode(0x20).add(a.status).addCode(0x20)
      .addCode(VERDICT_CODES.charCodeAt(<i32>a.verdict)).addCode(0x20);
    if (a.left == UNLIMITED) text.addCode(0x2d);
    else text.addInt(a.left);
    return text.addCode(0x20).addUint(a.leaseUntil).addCode(0x20).add(a.waiters).addCode(0x0a).add(key.text).toString();
  }

  /** the entry of the key the slot was read for (`readHead`) in this configuration, or null */
  private decodeFor(seen: SharedHead): Authorization | null {
    return seen.tailMatches ? this.decode(seen.text!) : null;
  }

  /** whether the slot holds an allowed answer of this configuration (for any key) */
  private holdsAllowed(seen: SharedHead): bool {
    const other = this.decodeAny(seen);
    return other != null && other.verdict == Verdict.Allowed;
  }

  /** the entry in the slot, whatever its key, if of this configuration */
  private decodeAny(seen: SharedHead): Authorization | null {
    return seen.hasTail ? this.decode(seen.text!) : null;
  }

  /** the header (the value before its newline); null unless this configuration's */
  private decode(text: string): Authorization | null {
    const newline = text.length;
    const s1 = text.indexOf(" ");
    const s2 = s1 < 0 ? -1 : text.indexOf(" ", s1 + 1);
    const s3 = s2 < 0 ? -1 : text.indexOf(" ", s2 + 1);
    const s4 = s3 < 0 ? -1 : text.indexOf(" ", s3 + 1);
    const s5 = s4 < 0 ? -1 : text.indexOf(" ", s4 + 1);
    const s6 = s5 < 0 ? -1 : text.indexOf(" ", s5 + 1);
    if (s6 < 0 || s6 > newline || s4 != s3 + 2 || s3 - s2 - 1 > 3 || !isQueueList(text, s6 + 1, newline)) return null;
    const fp = parseDecimalIn(text, 0, s1);
    const expires = parseDecimalIn(text, s1 + 1, s2);
    const verdict = VERDICT_CODES.indexOf(text.charAt(s3 + 1));
    const unlimited = s5 == s4 + 2 && text.charCodeAt(s4 + 1) == 0x2d;
    const left = unlimited ? UNLIMITED : parseDecimalIn(text, s4 + 1, s5);
    const lease = parseDecimalIn(text, s5 + 1, s6);
    if (fp != <i64>this.fingerprint || expires < 0 || verdict < 0 || left < UNLIMITED || (left == UNLIMITED && !unlimited) || lease < 0) return null;
    return new Authorization(<Verdict>verdict, text.substring(s2 + 1, s3), <u64>expires, left, <u64>lease, text.substring(s6 + 1, newline));
  }
}

/** "-", or decimal ids separated by commas */
function isQueueList(text: string, start: i32, end: i32): bool {
  if (end == start + 1 && text.charCodeAt(start) == 0x2d) return true;
  if (end <= start || end - start > MAX_WAITERS * 11) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39) && !(c == 0x2c && i > start && i + 1 < end)) return false;
  }
  return true;
}

/** the queue ids of a waiters list */
export function queueIds(waiters: string): Array<u32> {
  const ids = new Array<u32>();
  if (waiters == "-") return ids;
  let value: u32 = 0;
  for (let i = 0; i <= waiters.length; i++) {
    const c = i < waiters.length ? waiters.charCodeAt(i) : 0x2c;
    if (c == 0x2c) { ids.push(value); value = 0; } else value = value * 10 + <u32>(c - 0x30);
  }
  return ids;
}
