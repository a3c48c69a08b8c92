// Authorizing requests that passed the pipeline: a synchronous authrep per request (reference
// behaviour), or with `backend.cache` a cached answer first (docs/decision.md §5). A cache miss makes an authrep — it
// reports the request itself — and other requests needing the same authorization wait on that
// call instead of making their own: on the same worker by joining it, on other workers through
// the lease the call holds in the shared entry (the holder wakes them through their worker's
// shared queue; the tick looks again in case a wake-up was lost or the holder never answered). Requests allowed from the cache take one use of the allowance the backend's
// remaining count gave, are recorded in the usage table and reported in batches.
import { MapType, Status } from "../abi/enums";
import * as host from "../abi/host";
import { Config } from "../config/types";
import { log, LogLevel } from "../runtime/log";
import { AuthrepCall } from "../pipeline/authrep";
import { decideAnswer } from "../pipeline/answer";
import { BackendAnswer, clampedInteger, deniedForLimits } from "../backend/answer";
import { backendDecided, sanitize } from "../text/status";
import { Decision, Outcome, authenticationFailed, limitsExceeded } from "../pipeline/reply";
import { Authorization, Claim, queueIds, UNLIMITED, Verdict } from "../cache/authorizations";
import { CacheState } from "../cache/state";
import { hashKey } from "../backend/transaction";
import { Reporter } from "../cache/reporter";
import { leaseUntil } from "../system/schedule";
import { keyPrefix } from "../system/coordination";
import { parseDecimal } from "../text/decimal";
import { StringBuilder } from "../text/builder";
import { AuthrepHttpContext } from "./http";
import * as metrics from "../telemetry/metrics";
import { Counter } from "../telemetry/metrics";

/** a request waiting for another worker's authrep */
class Parked {
  constructor(public call: AuthrepCall, public stream: AuthrepHttpContext) {}
}

class InFlight {
  streams: Array<AuthrepHttpContext> = new Array<AuthrepHttpContext>();
  /**
   * sentAt: host clock at dispatch (ns), for the latency histogram; generation: the cache's at
   * dispatch — an answer from another backend or token must not be cached under a newer one
   */
  constructor(public call: AuthrepCall, public sentAt: u64, public coalesces: bool, public leads: bool, public generation: u32) {}
}

export class Authorizer {
  cache: CacheState | null = null;
  /** the reporters of caches a re-configure turned off, merged, until it has reported everything */
  private retiring: Reporter | null = null;
  /** what cached answers depend on in the current configuration (see `cacheGeneration`) */
  private generation: u32 = 0;
  private calls: Map<u32, InFlight> = new Map<u32, InFlight>();
  /** calls other streams may wait on, by transaction key */
  private waiting: Map<string, InFlight> = new Map<string, InFlight>();
  /** requests waiting for other workers' authreps */
  private parked: Array<Parked> = new Array<Parked>();
  /** this worker's wake-up queue (0: none registered) */
  private queue: u32 = 0;

  configure(config: Config): void {
    this.waiting.clear();
    if (this.queue == 0) this.queue = registerWakeQueue();
    const backend = config.backend;
    const settings = backend ? backend.cache : null;
    const previous = this.cache;
    const retiring = this.retiring;
    this.generation = cacheGeneration(config);
    if (settings) {
      // the new reporter takes over what the previous cache, or a retiring one, still carries
      const cache = CacheState.create(settings, this.generation, host.nowMilliseconds(), previous);
      if (retiring) cache.reporter.adopt(retiring);
      this.retiring = null;
      this.cache = cache;
    } else {
      this.cache = null;
      if (previous) {
        previous.reporter.retire(host.nowMilliseconds());
        if (retiring) previous.reporter.adopt(retiring);
        this.retiring = previous.reporter;
      }
    }
  }

  tick(config: Config): void {
    const backend = config.backend;
    if (!backend) return;
    const cache = this.cache;
    if (cache) cache.reporter.tick(config, backend.upstream, host.nowMilliseconds());
    const retiring = this.retiring;
    if (retiring) {
      retiring.tick(config, backend.upstream, host.nowMilliseconds());
      if (retiring.idle) this.retiring = null;
    }
  }

  /** the plugin is being removed: every reporter reports what it holds, now and for the last time */
  flush(config: Config): void {
    const backend = config.backend;
    if (!backend) return;
    const cache = this.cache;
    if (cache) cache.reporter.flush(config, backend.upstream);
    const retiring = this.retiring;
    if (retiring) retiring.flush(config, backend.upstream);
  }

  /** no authrep or report of this worker is waiting for an answer */
  get settled(): bool {
    if (this.calls.size > 0) return false;
    const cache = this.cache;
    if (cache && cache.reporter.inFlight) return false;
    const retiring = this.retiring;
    return !(retiring && retiring.inFlight);
  }

  /** a decision now, or null when the stream waits for the backend */
  authorize(call: AuthrepCall, stream: AuthrepHttpContext): Decision | null {
    return this.claim(call, stream, true);
  }

  /**
   * `first`: the request's first look at the cache (counted as a hit or a miss, and it may take
   * the lease); later looks come after the authrep it waited on was answered
   */
  private claim(call: AuthrepCall, stream: AuthrepHttpContext, first: bool): Decision | null {
    const cache = this.cache;
    const key = call.transaction;
    let coalesce = false;
    let leads = false;
    if (cache && key) {
      const now = host.nowMilliseconds();
      const local = this.waiting.has(key.text);
      const claimed = cache.authorizations.acquire(key, now, first && !local ? leaseUntil(now, call.timeoutMs) : 0, local ? 0 : this.queue);
      const claim = claimed.claim;
      if (claim == Claim.Allowed || claim == Claim.Denied) {
        if (first) metrics.count(Counter.CacheHits);
        if (claim == Claim.Denied) return cachedDenial(claimed.entry!, call);
        if (cache.record(key)) return Decision.proceed();
        metrics.count(Counter.CacheTableFull); // a synchronous authrep reports the request itself
      } else {
        if (first) metrics.count(Counter.CacheMisses);
        coalesce = true;
        leads = claim == Claim.Lead;
        if (local) {
          this.waiting.get(key.text).streams.push(stream);
          if (first) metrics.count(Counter.CacheCoalesced);
          return null;
        }
        if (claim == Claim.Wait) {
          this.parked.push(new Parked(call, stream));
          if (first) metrics.count(Counter.CacheCoalesced);
          return null;
        }
      }
    }
    if (this.dispatch(call, stream, coalesce, leads)) return null;
    if (leads) notify(cache!.authorizations.release(key!));
    return this.unavailable(call, authenticationFailed("authrep_dispatch_failed", call.replies));
  }

  /** a wake-up from an authrep holder: drains the queue, then the parked requests look again */
  onQueueReady(queueId: u32): void {
    if (queueId != this.queue) return;
    while (host.dequeue(queueId)) {}
    this.wake();
  }

  /** parked requests whose awaited answer came (or whose lease lapsed) look again; also every tick */
  wake(): void {
    const parked = this.parked;
    if (parked.length == 0) return;
    this.parked = new Array<Parked>();
    const cache = this.cache;
    const now = host.nowMilliseconds();
    for (let i = 0; i < parked.length; i++) {
      const p = parked[i];
      const key = p.call.transaction;
      if (cache && key && cache.authorizations.awaited(key, now)) {
        this.parked.push(p);
        continue;
      }
      if (host.setEffectiveContext(p.stream.id) != Status.Ok) continue; // the client left
      const decision = this.claim(p.call, p.stream, false);
      if (decision) p.stream.resume(decision);
    }
  }

  /** whether `callId` is an authrep or a report of this worker */
  owns(callId: u32): bool {
    return this.calls.has(callId) || this.reporterOf(callId) != null;
  }

  onAnswer(callId: u32, numHeaders: u32): void {
    const reporter = this.reporterOf(callId);
    if (reporter) {
      reporter.onAnswer(callId, numHeaders > 0 ? callHeader(":status") : null);
      return;
    }
    const cache = this.cache;
    const f = this.calls.get(callId);
    this.calls.delete(callId);
    const call = f.call;
    const key = call.transaction;
    if (f.coalesces && key && this.waiting.has(key.text) && this.waiting.get(key.text) == f) this.waiting.delete(key.text);

    const answer = numHeaders > 0 ? readAnswer(call.readsLimits) : new BackendAnswer(null, null);
    const status = answer.status;
    metrics.countBackendAnswer(status, f.sentAt, call.service);
    const decided = backendDecided(status);
    const decision = decideAnswer(answer, call);
    const reason = answer.rejectionReason;
    if (status == null) log(LogLevel.Warn, "authrep call failed: no answer from the backend (host status " + host.lastCallStatus().toString() + ")");
    else if (decision.outcome == Outcome.Reply) log(LogLevel.Debug, "authrep answered " + status + (reason != null ? " (" + reason + ")" : ""));
    if (cache && key && f.generation == this.generation) {
      if (decided) notify(cache.authorizations.store(key, authorizationOf(answer, cache.settings.authorizationTtlMs, cache.unreported(key)), host.nowMilliseconds()));
      else if (f.leads) notify(cache.authorizations.release(key));
    }

    for (let i = 0; i < f.streams.length; i++) {
      const stream = f.streams[i];
      // The stream may be gone (client closed); then there is nothing left to answer.
      if (host.setEffectiveContext(stream.id) != Status.Ok) continue;
      // only the first stream's request went to the backend; the waiters' never did
      if (!decided) stream.resume(this.unavailable(call, decision, i == 0 && status == "504"));
      else if (i == 0 || decision.outcome != Outcome.Continue) stream.resume(decision);
      else {
        // allowed like the first, from what the answer left (or asked again when nothing is left)
        const again = this.claim(call, stream, false);
        if (again) stream.resume(again);
      }
    }
  }

  private reporterOf(callId: u32): Reporter | null {
    const cache = this.cache;
    if (cache && cache.reporter.owns(callId)) return cache.reporter;
    const retiring = this.retiring;
    return retiring && retiring.owns(callId) ? retiring : null;
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
  private unavailable(call: AuthrepCall, closed: Decision, counted: bool = false): Decision {
    const policy = call.policy;
    const cache = this.cache;
    const key = call.transaction;
    const cached = cache && key && (policy.staleMs > 0 || policy.open) ? cache.authorizations.lookup(key) : null;
    if (cached && cached.verdict == Verdict.Allowed && host.nowMilliseconds() <= cached.expiresMs + policy.staleMs && (counted || cache!.record(key!))) {
      metrics.count(Counter.StaleServed);
      return Decision.proceed();
    }
    if (!policy.open) return closed;
    if (cached && cached.verdict != Verdict.Allowed) return cachedDenial(cached, call);
    metrics.count(Counter.FailOpen);
    if (!counted && !(cache && key && cache.record(key))) metrics.count(Counter.Unreported);
    return Decision.proceed();
  }

  private dispatch(call: AuthrepCall, stream: AuthrepHttpContext, coalesces: bool, leads: bool): bool {
    metrics.count(Counter.BackendCalls);
    const result = host.httpCall(call.cluster, call.headers, "", call.timeoutMs);
    if (result.status != Status.Ok) {
      log(LogLevel.Warn, "authrep dispatch to cluster `" + call.cluster + "` refused by the host (status " + (<i32>result.status).toString() + ")");
      metrics.count(Counter.BackendFailures);
      return false;
    }
    const f = new InFlight(call, host.nowNanoseconds(), coalesces, leads, this.generation);
    f.streams.push(stream);
    this.calls.set(result.callId, f);
    const key = call.transaction;
    if (coalesces && key) this.waiting.set(key.text, f);
    return true;
  }
}

/**
 * a queue of its own for this worker (Envoy wakes the latest registrant of a name, so each takes
 * a fresh number from a shared counter); 0 when the host has none: its waiters rely on the tick
 */
function registerWakeQueue(): u32 {
  const counter = keyPrefix() + "wake";
  for (let attempt = 0; attempt < 8; attempt++) {
    const stored = host.getSharedData(counter);
    const value = stored.value;
    const n = value ? parseDecimal(String.UTF8.decode(value)) + 1 : 0;
    if (host.setSharedData(counter, String.UTF8.encode(n.toString()), value ? stored.cas : U32.MAX_VALUE) != Status.Ok) continue;
    const queue = host.registerQueue(counter + "/" + n.toString());
    return queue.status == Status.Ok ? queue.id : 0;
  }
  return 0;
}

/** wakes the workers whose requests waited for an answer */
function notify(waiters: string): void {
  const ids = queueIds(waiters);
  for (let i = 0; i < ids.length; i++) host.enqueue(ids[i], WAKE);
}

const WAKE = new ArrayBuffer(1);

/**
 * what cached answers depend on besides their key: the backend and the services' tokens. Other
 * changes (rules, credential sources, replies) keep the cache warm across a re-configure, so a
 * config push during a backend outage does not throw the stale authorizations away.
 */
function cacheGeneration(config: Config): u32 {
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
function authorizationOf(answer: BackendAnswer, ttlMs: u64, unreported: i64): Authorization {
  const status = answer.status as string;
  const expires = host.nowMilliseconds() + ttlMs;
  if (status == "200") return new Authorization(Verdict.Allowed, status, expires, allowance(answer.limitRemaining, unreported));
  if (!deniedForLimits(answer)) return new Authorization(Verdict.Failed, status, expires);
  // a limit denial lifts when the limit's period resets, if that comes before the TTL
  const reset = clampedInteger(answer.limitReset);
  return new Authorization(Verdict.LimitsExceeded, status, reset > 0 ? min(expires, host.nowMilliseconds() + <u64>reset * 1000) : expires);
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

function readAnswer(limitHeaders: bool): BackendAnswer {
  const answer = new BackendAnswer(callHeader(":status"), callHeader("3scale-rejection-reason"));
  if (limitHeaders) {
    answer.limitMax = callHeader("3scale-limit-max-value");
    answer.limitRemaining = callHeader("3scale-limit-remaining");
    answer.limitReset = callHeader("3scale-limit-reset");
  }
  return answer;
}

function callHeader(name: string): string | null {
  return host.getHeader(MapType.HttpCallResponseHeaders, name);
}
