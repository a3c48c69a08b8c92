// Authorizing requests that passed the pipeline: a synchronous authrep per request (reference
// behaviour), or with `backend.cache` a cached answer first (docs/decision.md §5). What a request
// gets is decided by cache/authorization_policy.ts; this file carries it out: it makes the
// authrep calls, wakes other workers through their shared queues, switches to and resumes the
// streams, and logs. A cache miss makes an authrep — it reports the request itself — and other
// requests needing the same authorization wait on that call instead of making their own: on the
// same worker by joining it, on other workers through the lease the call holds in the shared
// entry (the holder wakes them through their worker's shared queue; the tick looks again in case
// a wake-up was lost or the holder never answered). Requests allowed from the cache take one use
// of the allowance the backend's remaining count gave, are recorded in the usage table and
// reported in batches.
import { Status } from "../abi/enums";
import * as host from "../abi/host";
import { dispatchCall, QueueHandler, registerQueue } from "../abi/calls";
import { Config } from "../config/types";
import { log, LogLevel } from "../runtime/log";
import { CallAnswer, CallDispatcher, CallHandler } from "../runtime/calls";
import { SharedData } from "../runtime/shared_data";
import { AuthrepCall } from "../pipeline/authrep";
import { readAnswer } from "../backend/answer";
import { Decision, Outcome } from "../pipeline/reply";
import { queueIds } from "../cache/authorizations";
import { AuthorizationPolicy, cacheGeneration, Flight, Step, WakeUps } from "../cache/authorization_policy";
import { CacheState } from "../cache/state";
import { Reporter } from "../cache/reporter";
import { parseDecimal } from "../text/decimal";
import { AuthrepHttpContext } from "./http";
import * as metrics from "../telemetry/metrics";
import { Counter } from "../telemetry/metrics";

/** an authrep waiting for its answer; `sentNs`: host clock at dispatch, for the latency histogram */
class AuthrepInFlight extends CallHandler {
  constructor(private authorizer: Authorizer, public flight: Flight<AuthrepHttpContext>, public sentNs: u64) { super(); }

  onAnswer(answer: CallAnswer): void {
    this.authorizer.answered(this, answer);
  }
}

/** wakes other workers through their shared queues */
class QueueWakeUps extends WakeUps {
  notify(waiters: string): void {
    const ids = queueIds(waiters);
    for (let i = 0; i < ids.length; i++) host.enqueue(ids[i], WAKE);
  }
}

const WAKE = new ArrayBuffer(1);

export class Authorizer extends QueueHandler {
  private policy: AuthorizationPolicy<AuthrepHttpContext> = new AuthorizationPolicy<AuthrepHttpContext>(new QueueWakeUps());
  /** the reporters of caches a re-configure turned off, merged, until it has reported everything */
  private retiring: Reporter | null = null;
  /** authreps waiting for an answer */
  private inFlight: i32 = 0;

  /** `root`: the root context's id; `store`, `calls`: the host's shared data and calls for the cache */
  constructor(private root: u32, private store: SharedData, private calls: CallDispatcher) { super(); }

  /** `prefix`: the plugin's shared-data key prefix */
  configure(config: Config, prefix: string): void {
    const policy = this.policy;
    if (policy.queue == 0) policy.queue = registerWakeQueue(this.root, prefix + "wake", this.store, this);
    const backend = config.backend;
    const settings = backend ? backend.cache : null;
    const previous = policy.cache;
    const retiring = this.retiring;
    const generation = cacheGeneration(config);
    let cache: CacheState | null = null;
    if (settings) {
      // the new reporter takes over what the previous cache, or a retiring one, still carries
      cache = CacheState.create(this.store, this.calls, prefix, settings, generation, host.nowMilliseconds(), previous);
      if (retiring) cache.reporter.adopt(retiring);
      this.retiring = null;
    } else if (previous) {
      previous.reporter.retire(host.nowMilliseconds());
      if (retiring) previous.reporter.adopt(retiring);
      this.retiring = previous.reporter;
    }
    policy.configure(cache, generation);
  }

  tick(config: Config, nowMs: u64): void {
    const backend = config.backend;
    if (!backend) return;
    const cache = this.policy.cache;
    if (cache) cache.reporter.tick(config, backend.upstream, nowMs);
    const retiring = this.retiring;
    if (retiring) {
      retiring.tick(config, backend.upstream, nowMs);
      if (retiring.idle) this.retiring = null;
    }
  }

  /** the plugin is being removed: every reporter reports what it holds, now and for the last time */
  flush(config: Config): void {
    const backend = config.backend;
    if (!backend) return;
    const cache = this.policy.cache;
    if (cache) cache.reporter.flush(config, backend.upstream);
    const retiring = this.retiring;
    if (retiring) retiring.flush(config, backend.upstream);
  }

  /** no authrep or report of this worker is waiting for an answer */
  get settled(): bool {
    if (this.inFlight > 0) return false;
    const cache = this.policy.cache;
    if (cache && cache.reporter.inFlight) return false;
    const retiring = this.retiring;
    return !(retiring && retiring.inFlight);
  }

  /** a decision now, or null when the stream waits for the backend */
  authorize(call: AuthrepCall, stream: AuthrepHttpContext): Decision | null {
    return this.claim(call, stream, true, this.policy.timed(call) ? host.nowMilliseconds() : 0);
  }

  private claim(call: AuthrepCall, stream: AuthrepHttpContext, first: bool, nowMs: u64): Decision | null {
    const next = this.policy.claim(call, stream, first, nowMs);
    if (next.step == Step.Decided) return next.decision;
    if (next.step == Step.Waits) return null;
    const leads = next.leads;
    if (this.dispatch(call, stream, next.coalesce, leads)) return null;
    return this.policy.refused(call, leads, nowMs);
  }

  /** a wake-up from an authrep holder: drains the queue, then the parked requests look again */
  onQueueReady(queueId: u32): void {
    while (host.dequeue(queueId)) {}
    this.wake();
  }

  /** parked requests whose awaited answer came (or whose lease lapsed) look again; also every tick */
  wake(): void {
    if (!this.policy.hasParked) return;
    const now = host.nowMilliseconds();
    const ready = this.policy.woken(now);
    for (let i = 0; i < ready.length; i++) {
      const p = ready[i];
      const stream = p.waiter;
      if (host.setEffectiveContext(stream.id) != Status.Ok) continue; // the client left
      const decision = this.claim(p.call, stream, false, now);
      if (decision) stream.resume(decision);
    }
  }

  answered(inFlight: AuthrepInFlight, callAnswer: CallAnswer): void {
    this.inFlight--;
    const f = inFlight.flight;
    const call = f.call;
    const answer = readAnswer(callAnswer, call.readsLimits);
    const status = answer.status;
    metrics.countBackendAnswer(status, inFlight.sentNs, callAnswer.nowNs(), call.service);
    const now = callAnswer.nowMs();
    const decision = this.policy.answered(f, answer, now);
    const reason = answer.rejectionReason;
    if (status == null) log(LogLevel.Warn, "authrep call failed: no answer from the backend (host status " + callAnswer.failureStatus().toString() + ")");
    else if (decision.outcome == Outcome.Reply) log(LogLevel.Debug, "authrep answered " + status + (reason != null ? " (" + reason + ")" : ""));

    for (let i = 0; i < f.waiters.length; i++) {
      const stream = f.waiters[i];
      // The stream may be gone (client closed); then there is nothing left to answer. The binding
      // made the caller (the first) effective.
      if (i == 0 ? callAnswer.callerGone : host.setEffectiveContext(stream.id) != Status.Ok) continue;
      const own = this.policy.forWaiter(f, answer, decision, i, now);
      const again = own ? own : this.claim(call, stream, false, now);
      if (again) stream.resume(again);
    }
  }

  private dispatch(call: AuthrepCall, stream: AuthrepHttpContext, coalesces: bool, leads: bool): bool {
    metrics.count(Counter.BackendCalls);
    const flight = new Flight<AuthrepHttpContext>(call, coalesces, leads, this.policy.generation);
    flight.waiters.push(stream);
    const status = dispatchCall(this.root, stream.id, call.cluster, call.headers, "", call.timeoutMs, new AuthrepInFlight(this, flight, host.nowNanoseconds()));
    if (status != Status.Ok) {
      log(LogLevel.Warn, "authrep dispatch to cluster `" + call.cluster + "` refused by the host (status " + (<i32>status).toString() + ")");
      metrics.count(Counter.BackendFailures);
      return false;
    }
    this.inFlight++;
    this.policy.dispatched(flight);
    return true;
  }
}

/**
 * a queue of its own for this worker (Envoy wakes the latest registrant of a name, so each takes
 * a fresh number from the shared `counter`); 0 when the host has none: its waiters rely on the tick
 */
function registerWakeQueue(root: u32, counter: string, store: SharedData, handler: QueueHandler): u32 {
  for (let attempt = 0; attempt < 8; attempt++) {
    const stored = store.read(counter);
    const value = stored.value;
    const n = value ? parseDecimal(String.UTF8.decode(value)) + 1 : 0;
    if (!store.write(counter, String.UTF8.encode(n.toString()), value ? stored.cas : U32.MAX_VALUE)) continue;
    return registerQueue(root, counter + "/" + n.toString(), handler);
  }
  return 0;
}
