// When fetches happen (docs/design.md §6, defect D2): every `ttl` seconds, at least
// 20 s, plus 0-15 s of jitter so proxies started together do not hit the portal together.

const MIN_PERIOD_SECONDS: u64 = 20;
/** caps absurd ttl values so deadlines never overflow (about 136 years) */
const MAX_PERIOD_SECONDS: u64 = U32.MAX_VALUE;
/** a lease outlives the call's own timeout by this much before another worker takes over */
const LEASE_GRACE_MS: u64 = 5000;

/** xorshift32: cheap and good enough for jitter; never 0 */
export class Jitter {
  private state: u32;

  constructor(seed: u64) {
    const mixed = <u32>(seed ^ (seed >> 32));
    this.state = mixed == 0 ? 0x9e3779b9 : mixed;
  }

  next(): u32 {
    let x = this.state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.state = x;
    return x;
  }

  /** 0-15 whole seconds, in ms */
  milliseconds(): u64 {
    return <u64>(this.next() & 15) * 1000;
  }
}

/** the deadline of the next fetch after one at `nowMs`, `ttlSeconds` being system.ttl */
export function nextDeadline(nowMs: u64, ttlSeconds: u64, jitter: Jitter): u64 {
  const seconds = min(max(ttlSeconds, MIN_PERIOD_SECONDS), MAX_PERIOD_SECONDS);
  return nowMs + seconds * 1000 + jitter.milliseconds();
}

/** after a failed fetch: retried after the minimum period, keeping the last good configuration */
export function retryDeadline(nowMs: u64, jitter: Jitter): u64 {
  return nextDeadline(nowMs, MIN_PERIOD_SECONDS, jitter);
}

export function leaseUntil(nowMs: u64, timeoutMs: u32): u64 {
  return nowMs + <u64>timeoutMs + LEASE_GRACE_MS;
}
