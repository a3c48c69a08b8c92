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
import { SlotHead } from "../runtime/shared_data";
import { TransactionKey } from "../backend/transaction";

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

/** what `acquire` found: one object reused by every call, read before the next */
export class Claimed {
  claim: Claim = Claim.Ask;
  /** the denial, for Denied */
  entry: Authorization | null = null;
}

/** where `key`'s entry is or would go (`AuthorizationCache.place`): one object reused by every call */
class Placed {
  index: u32 = 0;
  /** the CAS token to write the slot with */
  token: u32 = 0;
  /** the key's entry (the cache's `found`, valid until the next look), or null */
  held: Authorization | null = null;
  /** without `held`: the slot holds another key's allowed answer of this configuration */
  allowed: bool = false;
}

export class AuthorizationCache {
  /**
   * `recheckMs`: when the allowance is used up, how long the key is refused locally before
   * the backend is asked again: long enough for the usage reported meanwhile to be counted
   */
  constructor(private slots: SharedSlots, private fingerprint: u32, private recheckMs: u64) {}

  // a look at the cache reuses these: a hit allocates nothing (see Placed, Claimed)
  private at: Placed = new Placed();
  private claimed: Claimed = new Claimed();
  /** the entry `place` found for the key, and one it read in another key's slot */
  private found: Authorization = new Authorization(Verdict.None, "0", 0);
  private other: Authorization = new Authorization(Verdict.None, "0", 0);

  get generation(): u32 {
    return this.fingerprint;
  }

  /** the answer for `key` whatever its age, or null (valid until the next look at the cache) */
  lookup(key: TransactionKey): Authorization | null {
    const held = this.place(key, 0, false).held;
    return held && held.verdict != Verdict.None ? held : null;
  }

  /**
   * a fresh answer: an allowed one gives one use of its allowance — the last use turns the
   * entry into a local limits denial until `recheckMs` later. Otherwise, with `leaseUntil` > 0,
   * takes the lease unless another request holds it (Wait: `queue`, when not 0, is named in the
   * entry for the holder to notify) or no probed slot is free and the home slot holds another
   * key's allowed answer (Ask: not evicted for a lease). The result is valid until the next call.
   */
  acquire(key: TransactionKey, nowMs: u64, leaseUntil: u64, queue: u32): Claimed {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const at = this.place(key, nowMs, false);
      const index = at.index, token = at.token, held = at.held;
      if (held && held.fresh(nowMs)) {
        if (held.verdict != Verdict.Allowed) return this.claim(Claim.Denied, held);
        if (held.left == UNLIMITED) return this.claim(Claim.Allowed);
        const next = held.left > 1 ? held.with(held.left - 1, 0) : this.exhausted(held, nowMs);
        if (this.write(index, key, next, token)) return this.claim(Claim.Allowed);
        continue;
      }
      if (held && held.leaseUntil > nowMs) {
        const waiters = queue != 0 ? held.waitedBy(queue) : null;
        if (waiters == null || this.write(index, key, held.with(held.left, held.leaseUntil, waiters), token)) return this.claim(Claim.Wait);
        continue;
      }
      if (leaseUntil == 0 || (!held && at.allowed)) return this.claim(Claim.Ask);
      const leased = held ? held.with(held.left, leaseUntil) : new Authorization(Verdict.None, "0", 0, UNLIMITED, leaseUntil);
      if (this.write(index, key, leased, token)) return this.claim(Claim.Lead);
    }
    return this.claim(Claim.Ask);
  }

  private claim(claim: Claim, entry: Authorization | null = null): Claimed {
    const claimed = this.claimed;
    claimed.claim = claim;
    claimed.entry = entry;
    return claimed;
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
      if (this.write(at.index, key, held.with(held.left, 0), at.token)) return held.waiters;
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
    const entry = allowed && a.left == 0 ? this.exhausted(a, nowMs) : a;
    let index: u32 = 0;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const at = this.place(key, nowMs, allowed);
      const held = at.held;
      index = at.index;
      if (!held && !allowed && at.allowed) return "-";
      if (this.write(index, key, entry, at.token)) return held ? held.waiters : "-";
    }
    if (allowed) this.write(index, key, entry, 0); // contended so long: the answer still wins
    return "-";
  }

  /**
   * The slot of `key`'s entry among the slots its hash probes; without one, the first of them
   * free for it — empty, another configuration's, or another key's with neither a fresh answer
   * nor a live lease (an expired allowed answer only when `evictStale`: otherwise the failure
   * policy may still need it) — else the home slot.
   */
  private place(key: TransactionKey, nowMs: u64, evictStale: bool): Placed {
    let home: i64 = -1, free: i64 = -1;
    let homeToken: u32 = 0, freeToken: u32 = 0;
    let homeAllowed = false, freeAllowed = false;
    for (let p: u32 = 0; p < PROBES; p++) {
      const index = this.slots.probe(key.hash, p);
      const seen = this.slots.readHead(index, key.text);
      const token = this.slots.token(seen.exists, seen.cas);
      if (seen.tailMatches && this.decode(seen, this.found)) return this.placed(index, token, this.found, false);
      const other = seen.hasTail && this.decode(seen, this.other) ? this.other : null;
      const allowed = other != null && other.verdict == Verdict.Allowed;
      if (home < 0) { home = index; homeToken = token; homeAllowed = allowed; }
      if (free < 0 && (!other || (!other.fresh(nowMs) && other.leaseUntil <= nowMs && (evictStale || !allowed)))) { free = index; freeToken = token; freeAllowed = allowed; }
    }
    return free >= 0 ? this.placed(<u32>free, freeToken, null, freeAllowed) : this.placed(<u32>home, homeToken, null, homeAllowed);
  }

  private placed(index: u32, token: u32, held: Authorization | null, allowed: bool): Placed {
    const at = this.at;
    at.index = index;
    at.token = token;
    at.held = held;
    at.allowed = allowed;
    return at;
  }

  /** the allowance is used up: refused locally until the backend has counted what was allowed */
  private exhausted(a: Authorization, nowMs: u64): Authorization {
    return new Authorization(Verdict.LimitsExceeded, a.status, min(a.expiresMs, nowMs + this.recheckMs), 0, 0);
  }

  /** writes `a` as `key`'s entry into slot `index` (the head built in place) */
  private write(index: u32, key: TransactionKey, a: Authorization, token: u32): bool {
    const head = this.slots.head.clear()
      .addUint(this.fingerprint).addCode(0x20).addUint(a.expiresMs).addCode(0x20).addAscii(a.status).addCode(0x20)
      .addCode(VERDICT_CODES.charCodeAt(<i32>a.verdict)).addCode(0x20);
    if (a.left == UNLIMITED) head.addCode(0x2d);
    else head.addUint(<u64>a.left);
    head.addCode(0x20).addUint(a.leaseUntil).addCode(0x20).addAscii(a.waiters);
    return this.slots.writeHead(index, key.text, token);
  }

  /** decodes the head `seen` (the value before its newline) into `into`; false unless this configuration's */
  private decode(seen: SlotHead, into: Authorization): bool {
    const end = seen.length;
    const s1 = seen.find(0x20, 0);
    const s2 = s1 < 0 ? -1 : seen.find(0x20, s1 + 1);
    const s3 = s2 < 0 ? -1 : seen.find(0x20, s2 + 1);
    const s4 = s3 < 0 ? -1 : seen.find(0x20, s3 + 1);
    const s5 = s4 < 0 ? -1 : seen.find(0x20, s4 + 1);
    const s6 = s5 < 0 ? -1 : seen.find(0x20, s5 + 1);
    if (s6 < 0 || s4 != s3 + 2 || s3 - s2 - 1 > 3 || !isQueueList(seen, s6 + 1, end)) return false;
    const fp = seen.decimal(0, s1);
    const expires = seen.decimal(s1 + 1, s2);
    let verdict = VERDICT_CODES.length - 1;
    while (verdict >= 0 && VERDICT_CODES.charCodeAt(verdict) != seen.byte(s3 + 1)) verdict--;
    const unlimited = s5 == s4 + 2 && seen.byte(s4 + 1) == 0x2d;
    const left = unlimited ? UNLIMITED : seen.decimal(s4 + 1, s5);
    const lease = seen.decimal(s5 + 1, s6);
    if (fp != <i64>this.fingerprint || expires < 0 || verdict < 0 || left < UNLIMITED || (left == UNLIMITED && !unlimited) || lease < 0) return false;
    into.verdict = <Verdict>verdict;
    into.status = seen.equals(s2 + 1, s3, "200") ? "200" : seen.text(s2 + 1, s3);
    into.expiresMs = <u64>expires;
    into.left = left;
    into.leaseUntil = <u64>lease;
    into.waiters = seen.equals(s6 + 1, end, "-") ? "-" : seen.text(s6 + 1, end);
    return true;
  }
}

/** "-", or decimal ids separated by commas */
function isQueueList(seen: SlotHead, start: i32, end: i32): bool {
  if (seen.equals(start, end, "-")) return true;
  if (end <= start || end - start > MAX_WAITERS * 11) return false;
  for (let i = start; i < end; i++) {
    const c = seen.byte(i);
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
