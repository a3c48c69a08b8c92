// The authorizer's decisions (docs/design.md §5), without the host. With `backend.cache` a
// request is first answered from the cache; on a miss it leads an authrep the others wait for,
// joins one this worker has in flight, or waits for another worker's (the lease in the shared
// entry); when the backend cannot answer, the failure policy decides. The caller passes the time
// and the backend's answers and carries the decisions out (filter/authorizer.ts: dispatch,
// context switching, resuming streams, logging). `W` is what waits for an answer: a stream in
// the filter, anything in unit tests.
import { AuthrepCall } from "../pipeline/authrep";
import { decideAnswer } from "../pipeline/answer";
import { BackendAnswer, clampedInteger, deniedForLimits } from "../backend/answer";
import { Decision, Outcome, authenticationFailed, limitsExceeded } from "../pipeline/reply";
import { Config } from "../config/types";
import { backendDecided, sanitize } from "../text/status";
import { parseDecimal } from "../text/decimal";
import { StringBuilder } from "../text/builder";
import { hashKey } from "../backend/transaction";
import { leaseUntil } from "../system/schedule";
import * as metrics from "../telemetry/metrics";
import { Counter } from "../telemetry/metrics";
import { Authorization, Claim, UNLIMITED, Verdict } from "./authorizations";
import { CacheState } from "./state";

/** an authrep in flight */
export class Flight<W> {
  /** who waits for its answer; the first made the call */
  waiters: Array<W> = new Array<W>();
  /**
   * `coalesces`: other requests of the key may join it; `leads`: it holds the key's lease;
   * `generation`: the cache's at dispatch — an answer from another backend or token must not be
   * cached under a newer one
   */
  constructor(public call: AuthrepCall, public coalesces: bool, public leads: bool, public generation: u32) {}
}

/** a request waiting for another worker's authrep */
export class Parked<W> {
  constructor(public call: AuthrepCall, public waiter: W) {}
}

export enum Step {
  /** `Next.decision` is the request's */
  Decided,
  /** the request waits for an authrep in flight (joined or parked) */
  Waits,
  /** the request's own authrep is to be made (`Next.coalesce`, `Next.leads`) */
  Ask,
}

/** what `claim` found: one object reused by every claim (a cache hit allocates nothing for it) */
export class Next {
  step: Step = Step.Decided;
  decision: Decision | null = null;
  coalesce: bool = false;
  leads: bool = false;
}

/** wakes the workers whose requests waited for an answer: `waiters` is an entry's queue list ("-": none) */
export abstract class WakeUps {
  abstract notify(waiters: string): void;
}

export class AuthorizationPolicy<W> {
  cache: CacheState | null = null;
  /** what cached answers depend on in the current configuration (see `cacheGeneration`) */
  generation: u32 = 0;
  /** this worker's wake-up queue, named in shared entries it waits on (0: none) */
  queue: u32 = 0;
  /** calls other requests of this worker may join, by transaction key */
  private waiting: Map<string, Flight<W>> = new Map<string, Flight<W>>();
  /** requests waiting for other workers' authreps */
  private parked: Array<Parked<W>> = new Array<Parked<W>>();
  private next: Next = new Next();

  constructor(private wakeUps: WakeUps) {}

  configure(cache: CacheState | null, generation: u32): void {
    this.waiting.clear();
    this.cache = cache;
    this.generation = generation;
  }

  /** whether deciding `call` needs the time (it is cached) */
  timed(call: AuthrepCall): bool {
    return this.cache != null && call.transaction != null;
  }

  /**
   * `first`: the request's first look at the cache (counted as a hit or a miss, and it may take
   * the lease); later looks come after the authrep it waited on was answered
   */
  claim(call: AuthrepCall, waiter: W, first: bool, nowMs: u64): Next {
    const next = this.next;
    const cache = this.cache;
    const key = call.transaction;
    let coalesce = false;
    let leads = false;
    if (cache && key) {
      const local = this.waiting.has(key.text);
      const claimed = cache.authorizations.acquire(key, nowMs, first && !local ? leaseUntil(nowMs, call.timeoutMs) : 0, local ? 0 : this.queue);
      const claim = claimed.claim;
      if (claim == Claim.Allowed || claim == Claim.Denied) {
        if (first) metrics.count(Counter.CacheHits);
        if (claim == Claim.Denied) return decided(next, cachedDenial(claimed.entry!, call));
        if (cache.record(key)) return decided(next, Decision.proceed());
        metrics.count(Counter.CacheTableFull); // a synchronous authrep reports the request itself
      } else {
        if (first) metrics.count(Counter.CacheMisses);
        coalesce = true;
        leads = claim == Claim.Lead;
        if (local || claim == Claim.Wait) {
          if (local) this.waiting.get(key.text).waiters.push(waiter);
          else this.parked.push(new Parked<W>(call, waiter));
          if (first) metrics.count(Counter.CacheCoalesced);
          next.step = Step.Waits;
          next.decision = null;
          return next;
        }
      }
    }
    next.step = Step.Ask;
    next.decision = null;
    next.coalesce = coalesce;
    next.leads = leads;
    return next;
  }

  /** the authrep `claim` asked for is in flight: requests of its key may join it */
  dispatched(flight: Flight<W>): void {
    const key = flight.call.transaction;
    if (flight.coalesces && key) this.waiting.set(key.text, flight);
  }

  /** the host refused the authrep `claim` asked for: what the request gets */
  refused(call: AuthrepCall, leads: bool, nowMs: u64): Decision {
    if (leads) this.wakeUps.notify(this.cache!.authorizations.release(call.transaction!));
    return this.unavailable(call, authenticationFailed("authrep_dispatch_failed", call.replies), false, nowMs);
  }

  /**
   * the backend's answer to `flight` (status null: none): caches it (or releases the lease) and
   * returns what the answer decides
   */
  answered(flight: Flight<W>, answer: BackendAnswer, nowMs: u64): Decision {
    const cache = this.cache;
    const key = flight.call.transaction;
    if (flight.coalesces && key && this.waiting.has(key.text) && this.waiting.get(key.text) == flight) this.waiting.delete(key.text);
    if (cache && key && flight.generation == this.generation) {
      if (backendDecided(answer.status)) this.wakeUps.notify(cache.authorizations.store(key, authorizationOf(answer, cache.settings.authorizationTtlMs, cache.unreported(key), nowMs), nowMs));
      else if (flight.leads) this.wakeUps.notify(cache.authorizations.release(key));
    }
    return decideAnswer(answer, flight.call);
  }

  /**
   * what waiter `index` of `flight` gets from the answer's `decision` (see `answered`); null: it
   * claims again (allowed like the first, from what the answer left, or asked again when nothing
   * is left). Only the first waiter's request went to the backend.
   */
  forWaiter(flight: Flight<W>, answer: BackendAnswer, decision: Decision, index: i32, nowMs: u64): Decision | null {
    if (!backendDecided(answer.status)) return this.unavailable(flight.call, decision, index == 0 && answer.status == "504", nowMs);
    return index == 0 || decision.outcome != Outcome.Continue ? decision : null;
  }

  get hasParked(): bool {
    return this.parked.length > 0;
  }

  /**
   * the parked requests whose awaited answer came, or whose lease lapsed: they claim again
   * (not first); the others stay parked
   */
  woken(nowMs: u64): Array<Parked<W>> {
    const parked = this.parked;
    const ready = new Array<Parked<W>>();
    this.parked = new Array<Parked<W>>();
    const cache = this.cache;
    for (let i = 0; i < parked.length; i++) {
      const p = parked[i];
      const key = p.call.transaction;
      if (cache && key && cache.authorizations.awaited(key, nowMs)) this.parked.push(p);
      else ready.push(p);
    }
    return ready;
  }

  /**
   * the failure policy: a stale authorization, then fail open — except for a key the backend
   * last denied (APIcast's `allow` mode) — else `closed` (the reference's reply).
   * A request let through is recorded for the batched report, unless its own authrep timed out
   * (`counted`, a 504: the call reached the backend, which finishes what it started): such a
   * request is never counted twice, and lost only if the backend dropped it. Every other failure
   * (refused connection, reset, 5xx, a dispatch the host refused) is recorded: never lost, and
   * counted twice only if the backend recorded it before failing.
   */
  unavailable(call: AuthrepCall, closed: Decision, counted: bool, nowMs: u64): Decision {
    const policy = call.policy;
    const cache = this.cache;
    const key = call.transaction;
    const cached = cache && key && (policy.staleMs > 0 || policy.open) ? cache.authorizations.lookup(key) : null;
    if (cached && cached.verdict == Verdict.Allowed && nowMs <= cached.expiresMs + policy.staleMs && (counted || cache!.record(key!))) {
      metrics.count(Counter.StaleServed);
      return Decision.proceed();
    }
    if (!policy.open) return closed;
    if (cached && cached.verdict != Verdict.Allowed) return cachedDenial(cached, call);
    metrics.count(Counter.FailOpen);
    if (!counted && !(cache && key && cache.record(key))) metrics.count(Counter.Unreported);
    return Decision.proceed();
  }
}

function decided(next: Next, decision: Decision): Next {
  next.step = Step.Decided;
  next.decision = decision;
  return next;
}

/**
 * what cached answers depend on besides their key: the backend and the services' tokens. Other
 * changes (rules, credential sources, replies) keep the cache warm across a re-configure, so a
 * config push during a backend outage does not throw the stale authorizations away.
 */
export function cacheGeneration(config: Config): u32 {
  const backend = config.backend;
  const text = new StringBuilder();
  if (backend) text.add(backend.upstream.url.serialized);
  const services = config.services;
  if (services) {
    for (let i = 0; i < services.length; i++) {
      const token = services[i].token;
      text.addCode(0x0a).add(services[i].encodedId).addCode(0x20);
      if (token != null) text.add(token);
    }
  }
  return hashKey(text.toString());
}

/**
 * what a decided answer means for the next requests with the same key; `unreported`: requests
 * of the key allowed from the cache the backend has not been told of yet
 */
export function authorizationOf(answer: BackendAnswer, ttlMs: u64, unreported: i64, nowMs: u64): Authorization {
  const status = answer.status as string;
  const expires = nowMs + ttlMs;
  if (status == "200") return new Authorization(Verdict.Allowed, status, expires, allowance(answer.limitRemaining, unreported));
  if (!deniedForLimits(answer)) return new Authorization(Verdict.Failed, status, expires);
  // a limit denial lifts when the limit's period resets, if that comes before the TTL
  const reset = clampedInteger(answer.limitReset);
  return new Authorization(Verdict.LimitsExceeded, status, reset > 0 ? min(expires, nowMs + <u64>reset * 1000) : expires);
}

/**
 * how many more requests the cache may allow: the calls with this usage the backend said remain
 * (`3scale-limit-remaining`, after this one), less those it does not know of yet; -1 or no header:
 * no limit
 */
function allowance(remaining: string | null, unreported: i64): i64 {
  const calls = remaining != null ? parseDecimal(remaining) : -1;
  return calls < 0 ? UNLIMITED : max<i64>(calls - unreported, 0);
}

/** as APIcast's batcher: no Retry-After or limit headers on a denial served from the cache */
function cachedDenial(a: Authorization, call: AuthrepCall): Decision {
  if (a.verdict == Verdict.LimitsExceeded) return limitsExceeded(call.replies, new Array<string>());
  return authenticationFailed("authrep_denied_" + sanitize(a.status), call.replies);
}
