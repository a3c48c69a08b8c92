// A scenario through the filter's authorization policy (cache/authorization_policy.ts), as one
// worker would run it, without a proxy: shared data in memory, the times the steps give, and the
// backend's answers from the document. A request step runs decide, then the policy: the request
// is decided, waits for an authrep in flight of its key, or makes an authrep; an answer step
// answers the oldest authrep in flight, and each request waiting on it gets its decision.
import { Config } from "../config/types";
import { decide } from "../pipeline/flow";
import { AuthrepCall } from "../pipeline/authrep";
import { BackendAnswer } from "../backend/answer";
import { Decision, Outcome } from "../pipeline/reply";
import { HeaderPairs, Request } from "../pipeline/request";
import { AuthorizationPolicy, cacheGeneration, Flight, Step as PolicyStep, WakeUps } from "../cache/authorization_policy";
import { CacheState } from "../cache/state";
import { CallDispatcher, CallHandler } from "../runtime/calls";
import { MemorySharedData } from "../runtime/shared_data";
import { Step } from "./input";

/** what one request got at one step: a decision, or that it waits (`decision` null) */
export class Event {
  constructor(public step: i32, public request: i32, public decision: Decision | null) {}
}

export class Scenario {
  events: Array<Event> = new Array<Event>();
  /** the first step that could not run (an answer with no authrep in flight); empty when none */
  error: string = "";
}

/** the request of step `index` */
class Waiter {
  constructor(public index: i32) {}
}

/** a single worker: nobody to wake */
class NoWakeUps extends WakeUps {
  notify(waiters: string): void {}
}

/** reports are made on ticks, which a scenario has none of */
class NoCalls extends CallDispatcher {
  dispatch(cluster: string, headers: Array<string>, body: string, timeoutMs: u32, handler: CallHandler): i32 {
    return 12; // Unimplemented
  }
}

export function runScenario(config: Config, steps: Array<Step>): Scenario {
  const out = new Scenario();
  const policy = new AuthorizationPolicy<Waiter>(new NoWakeUps());
  const generation = cacheGeneration(config);
  const backend = config.backend;
  const settings = backend ? backend.cache : null;
  policy.configure(settings ? CacheState.create(new MemorySharedData(), new NoCalls(), "", settings, generation, 0, null) : null, generation);
  const flights = new Array<Flight<Waiter>>();
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const now = step.atMs;
    const headers = step.headers;
    if (headers) {
      const decision = decide(config, new Request(new HeaderPairs(headers)));
      const call = decision.call;
      if (decision.outcome != Outcome.Authrep || !call) out.events.push(new Event(i, i, decision));
      else claim(policy, call, new Waiter(i), true, now, i, flights, out);
      continue;
    }
    if (flights.length == 0) {
      out.error = "steps[" + i.toString() + "]: no authrep in flight to answer";
      return out;
    }
    const flight = flights.shift();
    const a = step.answer!;
    const answer = new BackendAnswer(a.status, a.rejectionReason, a.limitMax, a.limitRemaining, a.limitReset);
    const decision = policy.answered(flight, answer, now);
    for (let w = 0; w < flight.waiters.length; w++) {
      const waiter = flight.waiters[w];
      const own = policy.forWaiter(flight, answer, decision, w, now);
      if (own) out.events.push(new Event(i, waiter.index, own));
      else claim(policy, flight.call, waiter, false, now, i, flights, out);
    }
  }
  return out;
}

/** the policy's look at the cache; an authrep it asks for joins the flights in flight */
function claim(policy: AuthorizationPolicy<Waiter>, call: AuthrepCall, waiter: Waiter, first: bool, now: u64, step: i32, flights: Array<Flight<Waiter>>, out: Scenario): void {
  const next = policy.claim(call, waiter, first, now);
  if (next.step == PolicyStep.Decided) {
    out.events.push(new Event(step, waiter.index, next.decision));
    return;
  }
  if (next.step == PolicyStep.Ask) {
    const flight = new Flight<Waiter>(call, next.coalesce, next.leads, policy.generation);
    flight.waiters.push(waiter);
    policy.dispatched(flight);
    flights.push(flight);
    out.events.push(new Event(step, waiter.index, Decision.authrep(call)));
    return;
  }
  out.events.push(new Event(step, waiter.index, null));
}
