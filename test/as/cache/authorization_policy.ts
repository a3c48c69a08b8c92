// Test entry: the authorizer's policy (assembly/cache/authorization_policy.ts) without a host.
// Workers share an in-memory store standing for Envoy's shared data; times are explicit and the
// backend's answers are values. Each scenario returns what happened, step by step, as text.
import { parseConfig } from "../../../assembly/config/parse";
import { Config } from "../../../assembly/config/types";
import { decide } from "../../../assembly/pipeline/flow";
import { HeaderPairs, Request } from "../../../assembly/pipeline/request";
import { Decision, Outcome } from "../../../assembly/pipeline/reply";
import { AuthrepCall } from "../../../assembly/pipeline/authrep";
import { BackendAnswer } from "../../../assembly/backend/answer";
import { AuthorizationPolicy, cacheGeneration, Flight, Next, Step, WakeUps } from "../../../assembly/cache/authorization_policy";
import { CacheState } from "../../../assembly/cache/state";
import { MemorySharedData } from "../../../assembly/runtime/shared_data";
import { CallDispatcher, CallHandler } from "../../../assembly/runtime/calls";

/** no report is due in these scenarios (no tick): a dispatch would be a bug */
class NoCalls extends CallDispatcher {
  dispatch(cluster: string, headers: Array<string>, body: string, timeoutMs: u32, handler: CallHandler): i32 {
    abort("unexpected report call");
    return 1;
  }
}

class Wakes extends WakeUps {
  woken: Array<string> = new Array<string>();

  notify(waiters: string): void {
    if (waiters != "-") this.woken.push(waiters);
  }
}

/** what waits for an answer: a named request */
class Req {
  constructor(public name: string) {}
}

const CLUSTER = "backend";

function configText(policy: string, cache: string, token: string): string {
  return '{"api":"v1","backend":{"name":"backend","upstream":{"name":"' + CLUSTER + '","url":"https://su1.3scale.net/","timeout":5000},"cache":{' + cache + '}},'
    + (policy.length > 0 ? '"failure_policy":{' + policy + '},' : "")
    + '"services":[{"id":"1","token":"' + token + '","authorities":["*"],"credentials":{"user_key":[{"query_string":{"keys":["user_key"]}}]},'
    + '"mapping_rules":[{"method":"GET","pattern":"/","usages":[{"name":"hits","delta":1}]}]}]}';
}

class Worker {
  policy: AuthorizationPolicy<Req>;
  wakes: Wakes;
  config!: Config;
  /** the flight of the last claim that asked the backend */
  flight: Flight<Req> | null = null;

  constructor(public store: MemorySharedData, queue: u32, policy: string = "", cache: string = "", token: string = "t1") {
    const wakes = new Wakes();
    this.wakes = wakes;
    this.policy = new AuthorizationPolicy<Req>(wakes);
    this.policy.queue = queue;
    this.configure(policy, cache, token);
  }

  configure(policy: string, cache: string, token: string): Config {
    const result = parseConfig(configText(policy, cache, token));
    const config = result.config;
    if (!config) abort("configuration rejected: " + result.error);
    const generation = cacheGeneration(config!);
    this.policy.configure(CacheState.create(this.store, new NoCalls(), "t/", config!.backend!.cache!, generation, 0, this.policy.cache), generation);
    this.config = config!;
    return config!;
  }

  call(userKey: string): AuthrepCall {
    const request = new Request(new HeaderPairs([":method", "GET", ":path", "/?user_key=" + userKey, ":authority", "api.example.com", ":scheme", "https"]));
    const d = decide(this.config, request);
    if (d.outcome != Outcome.Authrep) abort("not an authrep: " + d.details);
    return d.call!;
  }

  /** a request's first look: its decision, or that it waits, or the authrep it makes */
  claim(req: Req, userKey: string, nowMs: u64, first: bool = true): string {
    const call = this.call(userKey);
    return this.show(this.policy.claim(call, req, first, nowMs), call, req);
  }

  private show(next: Next, call: AuthrepCall, req: Req): string {
    if (next.step == Step.Decided) return text(next.decision!);
    if (next.step == Step.Waits) return "waits";
    const flight = new Flight<Req>(call, next.coalesce, next.leads, this.policy.generation);
    flight.waiters.push(req);
    this.policy.dispatched(flight);
    this.flight = flight;
    return next.leads ? "authrep, leads" : next.coalesce ? "authrep, coalesces" : "authrep";
  }

  /** the backend's answer to the last flight: what each waiter gets */
  answer(answer: BackendAnswer, nowMs: u64): string {
    const flight = this.flight!;
    this.flight = null;
    const decision = this.policy.answered(flight, answer, nowMs);
    const out = new Array<string>();
    for (let i = 0; i < flight.waiters.length; i++) {
      const own = this.policy.forWaiter(flight, answer, decision, i, nowMs);
      out.push(flight.waiters[i].name + ": " + (own ? text(own) : "again " + this.show(this.policy.claim(flight.call, flight.waiters[i], false, nowMs), flight.call, flight.waiters[i])));
    }
    return out.join("; ");
  }

  /** parked requests that look again */
  wake(nowMs: u64): string {
    const ready = this.policy.woken(nowMs);
    const out = new Array<string>();
    for (let i = 0; i < ready.length; i++) {
      const p = ready[i];
      out.push(p.waiter.name + ": " + this.show(this.policy.claim(p.call, p.waiter, false, nowMs), p.call, p.waiter));
    }
    return out.length > 0 ? out.join("; ") : "none";
  }
}

function text(d: Decision): string {
  return d.outcome == Outcome.Continue ? "allowed" : "reply " + d.status.toString() + " " + d.details;
}

function ok(remaining: string | null = null): BackendAnswer {
  return new BackendAnswer("200", null, remaining != null ? "100" : null, remaining, remaining != null ? "60" : null);
}

function noAnswer(): BackendAnswer {
  return new BackendAnswer(null, null);
}

const r1 = new Req("r1"), r2 = new Req("r2"), r3 = new Req("r3"), r4 = new Req("r4");

/** a miss leads the authrep; a request of the same key on the same worker joins it; later requests hit */
export function hitAfterMiss(): Array<string> {
  const a = new Worker(new MemorySharedData(), 1);
  const cache = a.policy.cache!;
  const key = a.call("k1").transaction!;
  return [
    a.claim(r1, "k1", 1000),
    a.claim(r2, "k1", 1010),
    a.answer(ok(), 1100),
    a.claim(r3, "k1", 1200),
    "unreported " + cache.unreported(key).toString(),
  ];
}

/** another worker's request waits on the lease, is woken by the answer and reads it from the cache */
export function secondWorkerWaits(): Array<string> {
  const store = new MemorySharedData();
  const a = new Worker(store, 1);
  const b = new Worker(store, 7);
  const out = [a.claim(r1, "k1", 1000), b.claim(r2, "k1", 1001), "b wakes " + b.wake(1050)];
  out.push(a.answer(ok(), 1100));
  out.push("notified " + a.wakes.woken.join("|"));
  out.push("b wakes " + b.wake(1101));
  return out;
}

/** the lease holder never answers: the waiter looks again once the lease lapses (timeout + 5 s) */
export function leaseLapse(): Array<string> {
  const store = new MemorySharedData();
  const a = new Worker(store, 1);
  const b = new Worker(store, 7);
  return [a.claim(r1, "k1", 1000), b.claim(r2, "k1", 1001), "b wakes " + b.wake(10999), "b wakes " + b.wake(11001)];
}

/** `stale_seconds`: an expired authorization is served while the backend cannot answer, within the bound */
export function staleWithinBound(): Array<string> {
  const a = new Worker(new MemorySharedData(), 1, '"stale_seconds":60', '"authorization_ttl":10');
  return [
    a.claim(r1, "k1", 1000), a.answer(ok(), 1000),
    a.claim(r2, "k1", 20000), a.answer(noAnswer(), 20100),
    a.claim(r3, "k1", 71000), a.answer(noAnswer(), 71000),
    a.claim(r4, "k1", 71001), a.answer(noAnswer(), 71001),
  ];
}

/** fail open, except for a key the backend last denied */
export function failOpen(): Array<string> {
  const a = new Worker(new MemorySharedData(), 1, '"mode":"open"', '"authorization_ttl":10');
  return [
    a.claim(r1, "denied", 1000), a.answer(new BackendAnswer("403", "user_key_invalid"), 1000),
    a.claim(r2, "denied", 20000), a.answer(noAnswer(), 20000),
    a.claim(r3, "unknown", 20000), a.answer(noAnswer(), 20000),
  ];
}

/** a limits denial is cached until the limit's period resets (3 s), before the TTL (10 s) */
export function limitDenialLifts(): Array<string> {
  const a = new Worker(new MemorySharedData(), 1);
  return [
    a.claim(r1, "k1", 1000), a.answer(new BackendAnswer("409", "limits_exceeded", "10", "0", "3"), 1000),
    a.claim(r2, "k1", 3999), a.claim(r3, "k1", 4000),
  ];
}

/** the backend's remaining count: two requests from the cache, then refused locally until the entry expires, then asked */
export function allowanceCountsDown(): Array<string> {
  const a = new Worker(new MemorySharedData(), 1);
  return [
    a.claim(r1, "k1", 1000), a.answer(ok("2"), 1000),
    a.claim(r2, "k1", 1100), a.claim(r3, "k1", 1200), a.claim(r4, "k1", 1300),
    a.claim(r1, "k1", 11000),
  ];
}

/** an answer to a call made under an earlier configuration (other token) is not cached under the new one */
export function generationChange(): Array<string> {
  const a = new Worker(new MemorySharedData(), 1);
  const out = [a.claim(r1, "k1", 1000)];
  a.configure("", "", "t2");
  out.push(a.answer(ok(), 1100));
  out.push(a.claim(r2, "k1", 1200));
  return out;
}

/** every usage slot the key may use holds another key: allowed from the cache, but asked synchronously */
export function fullUsageTable(): Array<string> {
  const store = new MemorySharedData();
  const a = new Worker(store, 1, "", '"max_entries":16');
  for (let i = 0; i < 16; i++) store.put("t/u/" + i.toString(), "1 0\nother" + i.toString(), 0);
  return [a.claim(r1, "k1", 1000), a.answer(ok(), 1000), a.claim(r2, "k1", 1100)];
}
