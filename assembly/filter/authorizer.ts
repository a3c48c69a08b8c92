// Authorizing requests that passed the pipeline: a synchronous authrep per request (reference
// behaviour), or with `backend.cache` a cached answer first (docs/decision.md §5). A cache
// miss makes an authrep — it reports the request itself — and other requests of the same worker
// needing the same authorization wait on that call instead of making their own. Requests
// allowed from the cache are recorded in the usage table and reported in batches.
import { MapType, Status } from "../abi/enums";
import * as host from "../abi/host";
import { Config } from "../config/types";
import { log, LogLevel } from "../runtime/log";
import { AuthrepCall } from "../pipeline/authrep";
import { BackendAnswer, clampedInteger, decideAnswer, deniedForLimits } from "../pipeline/answer";
import { backendDecided, sanitize } from "../text/status";
import { Decision, Outcome, authenticationFailed, limitsExceeded } from "../pipeline/reply";
import { Authorization, Verdict } from "../cache/authorizations";
import { CacheState } from "../cache/state";
import { hashKey } from "../cache/transaction";
import { Reporter } from "../cache/reporter";
import { StringBuilder } from "../text/builder";
import { AuthrepHttpContext } from "./http";
import * as metrics from "../telemetry/metrics";
import { Counter } from "../telemetry/metrics";

class InFlight {
  streams: Array<AuthrepHttpContext> = new Array<AuthrepHttpContext>();
  /**
   * sentAt: host clock at dispatch (ns), for the latency histogram; generation: the cache's at
   * dispatch — an answer from another backend or token must not be cached under a newer one
   */
  constructor(public call: AuthrepCall, public sentAt: u64, public coalesces: bool, public generation: u32) {}
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

  configure(config: Config): void {
    this.waiting.clear();
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
    const cache = this.cache;
    const key = call.transaction;
    let coalesce = false;
    if (cache && key) {
      const cached = cache.authorizations.lookup(key);
      if (cached && host.nowMilliseconds() < cached.expiresMs) {
        metrics.count(Counter.CacheHits);
        if (cached.verdict != Verdict.Allowed) return cachedDenial(cached, call);
        if (cache.record(key)) return Decision.proceed();
        metrics.count(Counter.CacheTableFull); // a synchronous authrep reports the request itself
      } else {
        metrics.count(Counter.CacheMisses);
        coalesce = true;
        if (this.waiting.has(key.text)) {
          this.waiting.get(key.text).streams.push(stream);
          metrics.count(Counter.CacheCoalesced);
          return null;
        }
      }
    }
    if (this.dispatch(call, stream, coalesce)) return null;
    return this.unavailable(call, authenticationFailed("authrep_dispatch_failed", call.replies));
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
    metrics.countBackendAnswer(status, f.sentAt);
    const decided = backendDecided(status);
    const decision = decideAnswer(answer, call);
    const reason = answer.rejectionReason;
    if (status == null) log(LogLevel.Warn, "authrep call failed: no answer from the backend (host status " + host.lastCallStatus().toString() + ")");
    else if (decision.outcome == Outcome.Reply) log(LogLevel.Debug, "authrep answered " + status + (reason != null ? " (" + reason + ")" : ""));
    if (decided && cache && key && f.generation == this.generation) cache.authorizations.store(key, authorizationOf(answer, cache.settings.authorizationTtlMs));

    for (let i = 0; i < f.streams.length; i++) {
      const stream = f.streams[i];
      // The stream may be gone (client closed); then there is nothing left to answer.
      if (host.setEffectiveContext(stream.id) != Status.Ok) continue;
      // only the first stream's request went to the backend; the waiters' never did
      if (!decided) stream.resume(this.unavailable(call, decision, i == 0 && status == "504"));
      else if (i == 0 || decision.outcome != Outcome.Continue) stream.resume(decision);
      else this.admitWaiter(call, stream, answer.limitRemaining == "0");
    }
  }

  private reporterOf(callId: u32): Reporter | null {
    const cache = this.cache;
    if (cache && cache.reporter.owns(callId)) return cache.reporter;
    const retiring = this.retiring;
    return retiring && retiring.owns(callId) ? retiring : null;
  }

  /**
   * a request that waited on another's authrep: allowed, so its own use is recorded — unless
   * that authrep used up the limit (`exhausted`): then it asks the backend itself
   */
  private admitWaiter(call: AuthrepCall, stream: AuthrepHttpContext, exhausted: bool): void {
    const cache = this.cache;
    const key = call.transaction;
    if (!exhausted && cache && key && cache.record(key)) {
      stream.resume(Decision.proceed());
      return;
    }
    // the table is full, or a re-configure turned the cache off meanwhile: its own authrep
    if (cache && !exhausted) metrics.count(Counter.CacheTableFull);
    if (!this.dispatch(call, stream, false)) stream.resume(this.unavailable(call, authenticationFailed("authrep_dispatch_failed", call.replies)));
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

  private dispatch(call: AuthrepCall, stream: AuthrepHttpContext, coalesces: bool): bool {
    metrics.count(Counter.BackendCalls);
    const result = host.httpCall(call.cluster, call.headers, "", call.timeoutMs);
    if (result.status != Status.Ok) {
      log(LogLevel.Warn, "authrep dispatch to cluster `" + call.cluster + "` refused by the host (status " + (<i32>result.status).toString() + ")");
      metrics.count(Counter.BackendFailures);
      return false;
    }
    const f = new InFlight(call, host.nowNanoseconds(), coalesces, this.generation);
    f.streams.push(stream);
    this.calls.set(result.callId, f);
    const key = call.transaction;
    if (coalesces && key) this.waiting.set(key.text, f);
    return true;
  }
}

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

/** what a decided answer means for the next requests with the same key */
function authorizationOf(answer: BackendAnswer, ttlMs: u64): Authorization {
  const status = answer.status as string;
  const expires = host.nowMilliseconds() + ttlMs;
  // nothing left of a limit: the next request must ask the backend (kept only for a stale policy)
  if (status == "200") return new Authorization(Verdict.Allowed, status, answer.limitRemaining == "0" ? host.nowMilliseconds() : expires);
  if (!deniedForLimits(answer)) return new Authorization(Verdict.Failed, status, expires);
  // a limit denial lifts when the limit's period resets, if that comes before the TTL
  const reset = clampedInteger(answer.limitReset);
  return new Authorization(Verdict.LimitsExceeded, status, reset > 0 ? min(expires, host.nowMilliseconds() + <u64>reset * 1000) : expires);
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
