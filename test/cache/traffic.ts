// Mixed traffic against the seeded simulator and the exact-counting check: after the reports
// have landed, the simulator's usage of every application and metric is exactly what the
// requests that got a 200 used — nothing lost, nothing counted twice.
import { expect } from "vitest";
import type { RequestResult } from "../../tools/host/types";
import { app, APP_SERVICE, type Gateway, user, USER_SERVICE } from "./support";

type Use = [service: string, app: string, metric: string, delta: number];

interface Kind {
  send(g: Gateway, worker: number): Promise<RequestResult>;
  /** what a 200 adds to the simulator's counters (products is a child of hits) */
  uses: Use[];
}

const ODD = "a&b=c%d e+f";

export const KINDS: Kind[] = [
  { send: (g, worker) => user(g, "uk-1", { worker }), uses: [[USER_SERVICE, "uk-1", "hits", 1]] },
  { send: (g, worker) => user(g, "uk-1", { worker, path: "/products/3" }), uses: [[USER_SERVICE, "uk-1", "hits", 2], [USER_SERVICE, "uk-1", "products", 1]] },
  { send: (g, worker) => user(g, ODD, { worker }), uses: [[USER_SERVICE, ODD, "hits", 1]] },
  { send: (g, worker) => app(g, "app-1", "key-1", { worker }), uses: [[APP_SERVICE, "app-1", "hits", 1]] },
  { send: (g, worker) => user(g, ODD, { worker, path: "/products/x?y=1" }), uses: [[USER_SERVICE, ODD, "hits", 2], [USER_SERVICE, ODD, "products", 1]] },
  { send: (g, worker) => app(g, "app-1", "key-1", { worker, path: "/double" }), uses: [[APP_SERVICE, "app-1", "hits", 3]] },
  { send: (g, worker) => user(g, "uk-trial", { worker }), uses: [[USER_SERVICE, "uk-trial", "hits", 1]] },
];

/** every counter the traffic can touch */
const COUNTERS: [string, string, string][] = [
  [USER_SERVICE, "uk-1", "hits"], [USER_SERVICE, "uk-1", "products"], [USER_SERVICE, ODD, "hits"], [USER_SERVICE, ODD, "products"],
  [USER_SERVICE, "uk-trial", "hits"], [APP_SERVICE, "app-1", "hits"],
];

export class Tally {
  expected = new Map<string, number>(COUNTERS.map(([s, a, m]) => [`${s}|${a}|${m}`, 0]));
  statuses = new Map<number, number>();
  allowed = 0;

  count(kind: Kind, r: RequestResult): void {
    this.statuses.set(r.status ?? 0, (this.statuses.get(r.status ?? 0) ?? 0) + 1);
    if (r.status !== 200) return;
    this.allowed++;
    for (const [s, a, m, d] of kind.uses) this.expected.set(`${s}|${a}|${m}`, this.expected.get(`${s}|${a}|${m}`)! + d);
  }

  /** how many requests got `status` */
  got(status: number): number {
    return this.statuses.get(status) ?? 0;
  }
}

export interface TrafficOptions {
  /** requests in all */
  requests: number;
  /** requests started together (spread over both workers) */
  concurrent?: number;
  /** virtual time between bursts */
  pauseMs?: number;
  /** where in KINDS to start, so phases differ */
  offset?: number;
}

/** sends the traffic in concurrent bursts, moving time in between */
export async function traffic(g: Gateway, tally: Tally, o: TrafficOptions): Promise<void> {
  const concurrent = o.concurrent ?? 10;
  let i = o.offset ?? 0;
  for (let sent = 0; sent < o.requests; sent += concurrent) {
    const burst: Promise<void>[] = [];
    for (let j = 0; j < Math.min(concurrent, o.requests - sent); j++, i++) {
      // each kind four times in a row, twice on each worker: concurrent equal keys coalesce
      const kind = KINDS[Math.floor(i / 4) % KINDS.length]!;
      burst.push(kind.send(g, i % 2).then((r) => tally.count(kind, r)));
    }
    await Promise.all(burst);
    await g.advance(o.pauseMs ?? 700);
  }
}

/** the simulator's counters, in the tally's shape */
export function recorded(g: Gateway): Map<string, number> {
  return new Map(COUNTERS.map(([s, a, m]) => [`${s}|${a}|${m}`, g.sim!.usage(s, a, m)]));
}

/** the authreps the backend answered 200: each reported its own request */
export function authorizedByAuthrep(g: Gateway): number {
  return g.authreps().filter((c) => c.response?.headers.some(([n, v]) => n === ":status" && String(v) === "200")).length;
}

/** lets every worker send its reports (and retries) and the backend take them */
export async function drain(g: Gateway, reportIntervalS: number, rounds = 2): Promise<void> {
  await g.advance(rounds * (reportIntervalS + 1) * 1000);
}

/** the exact-counting check */
export function expectExactCounts(g: Gateway, tally: Tally): void {
  expect(recorded(g)).toEqual(tally.expected);
  expect(g.sim!.reportErrors).toEqual([]);
  expect(g.metric("reports.dropped_requests")).toBe(0);
  // every allowed request was reported once: by its own authrep or in a batch
  expect(authorizedByAuthrep(g) + g.metric("reports.requests")).toBe(tally.allowed);
  expect(g.metric("requests.allowed")).toBe(tally.allowed);
}
