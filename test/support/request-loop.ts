// A continuous request loop for the reliability tests: a few clients, each sending one request
// at a time on a fresh connection (as `send` of test/e2e/support.ts, so connections spread over
// the workers and each one picks up the listener's current filter chain), recording every
// outcome with its times.
import type { RunningEnvoy } from "../../tools/envoy/envoy";
import { send } from "../e2e/support";

export interface Outcome {
  path: string;
  /** Date.now() when the request was started and when it settled (the simulator logs the same clock) */
  start: number;
  end: number;
  /** the status, or 0 for a connection error */
  status: number;
  body: string;
  /** the connection error's message */
  error?: string;
}

export interface Load {
  readonly outcomes: readonly Outcome[];
  /** stops the clients after their current request; resolves with every outcome */
  stop(): Promise<Outcome[]>;
}

export function startLoad(envoy: RunningEnvoy, o: { clients: number; path: (n: number) => string; host: string }): Load {
  const outcomes: Outcome[] = [];
  let stopped = false;
  let n = 0;
  const client = async () => {
    while (!stopped) {
      const path = o.path(n++);
      const start = Date.now();
      try {
        const r = await send(envoy, path, { host: o.host });
        outcomes.push({ path, start, end: Date.now(), status: r.status, body: r.body });
      } catch (e) {
        outcomes.push({ path, start, end: Date.now(), status: 0, body: "", error: (e as Error).message });
      }
    }
  };
  const clients = Array.from({ length: o.clients }, client);
  return {
    outcomes,
    stop: async () => {
      stopped = true;
      await Promise.all(clients);
      return outcomes;
    },
  };
}

/** counts outcomes by status, for readable assertion failures (`{ "200": 812, "403": 40 }`) */
export function statusCounts(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, error } of outcomes) {
    const key = error ? `error: ${error}` : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** the first moment after `t` at which every request started before `t` had settled (after `stop`) */
export function settledAfter(outcomes: readonly Outcome[], t: number): number {
  return outcomes.filter((r) => r.start < t).reduce((latest, r) => Math.max(latest, r.end), t);
}

export const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** polls `condition` every 50 ms until it holds; throws `what` after timeoutMs */
export async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await sleep(50)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}
