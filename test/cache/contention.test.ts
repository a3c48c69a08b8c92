// Exact counting when workers contend for the same shared-data slot. A compare-and-swap
// conflict needs another worker's write between a module's read and its write; the host puts
// one there (tools/host/shared.ts `interleave`, `failCas`), so every retry path of the usage
// table runs: recording a hit, the reporter's swap taking a slot for a report, putting an
// undelivered report back. Against the real simulator, recorded usage == allowed requests.
// The same scenarios on a host that ignores the CAS token (the `ignoreCas` mutation, which
// behaves as a module passing cas 0) must lose usage: that proves the tests would catch it.
import { afterEach, describe, expect, it } from "vitest";
import { SharedState, type SharedAccess } from "../../tools/host";
import { cachedConfig, gateway, isReport, USER_SERVICE, type Gateway } from "./support";
import { drain, expectExactCounts, KINDS, recorded, Tally, traffic } from "./traffic";

const INTERVAL = 5;
const USAGE_SLOT = /\/u\/\d+$/;
/** user key uk-1, GET / → hits 1 */
const HIT = KINDS[0]!;
const HITS = `${USER_SERVICE}|uk-1|hits`;

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

/** a request of HIT on `worker`, counted in `tally` once answered */
function hit(gw: Gateway, tally: Tally, worker: number): Promise<void> {
  return HIT.send(gw, worker).then((r) => tally.count(HIT, r));
}

async function sendHits(gw: Gateway, tally: Tally, workers: number[]): Promise<void> {
  for (const worker of workers) await hit(gw, tally, worker);
}

/** the other worker of two */
const other = (instance: string) => (instance === "worker 0" ? 1 : 0);

interface Conflict {
  /** awaits the interleaved hit */
  done(): Promise<void>;
  /** module accesses to usage slots since the conflict was set up (not those inside it) */
  accesses: SharedAccess[];
  /** the module write the interleaved hit went before */
  interrupted?: SharedAccess;
}

/**
 * the first module write to a usage slot that `when` selects: the other worker serves a HIT
 * right then, between that write's read and the write itself
 */
function hitInBetween(gw: Gateway, tally: Tally, when: (a: SharedAccess) => boolean): Conflict {
  const served: Promise<void>[] = [];
  const conflict: Conflict = {
    accesses: [],
    done: async () => {
      expect(served).toHaveLength(1);
      await Promise.all(served);
    },
  };
  gw.host.shared.data.interleave(USAGE_SLOT, (a) => conflict.accesses.push(a));
  const remove = gw.host.shared.data.interleave(USAGE_SLOT, (a) => {
    if (a.op !== "set" || !when(a)) return;
    remove();
    conflict.interrupted = a;
    served.push(hit(gw, tally, other(a.instance)));
  });
  return conflict;
}

/** the interrupted write was refused and made again: its worker read the slot anew and wrote it */
function expectRetried(c: Conflict): void {
  const at = c.accesses.indexOf(c.interrupted!);
  const { instance, key } = c.interrupted!;
  expect(at).toBeGreaterThanOrEqual(0);
  expect(c.accesses.slice(at + 1, at + 3).map((a) => [a.op, a.instance, a.key])).toEqual([["get", instance, key], ["set", instance, key]]);
}

interface Run {
  g: Gateway;
  tally: Tally;
  conflict: Conflict;
}

type Scenario = (shared: SharedState) => Promise<Run>;

async function cachedGateway(shared: SharedState, cache: Record<string, number> = {}): Promise<Gateway> {
  g = await gateway(cachedConfig({ cache: { report_interval: INTERVAL, authorization_ttl: 600, ...cache } }), { simulator: true, shared });
  return g;
}

/** the scenarios whose conflict a module ignoring the CAS token turns into lost usage */
const SCENARIOS: [string, Scenario][] = [
  ["a hit recorded while another worker creates the same slot", async (shared) => {
    const gw = await cachedGateway(shared);
    const tally = new Tally();
    await hit(gw, tally, 0); // the authrep: cached for both workers, the slot still missing
    const conflict = hitInBetween(gw, tally, (a) => a.instance === "worker 0");
    await hit(gw, tally, 0);
    await conflict.done();
    await drain(gw, INTERVAL);
    return { g: gw, tally, conflict };
  }],
  ["a hit recorded while another worker increments the same slot", async (shared) => {
    const gw = await cachedGateway(shared);
    const tally = new Tally();
    await sendHits(gw, tally, [0, 0, 1, 1, 0]);
    const conflict = hitInBetween(gw, tally, (a) => a.instance === "worker 1");
    await hit(gw, tally, 1);
    await conflict.done();
    await drain(gw, INTERVAL);
    return { g: gw, tally, conflict };
  }],
  ["the reporter taking a slot while another worker records a hit in it", async (shared) => {
    const gw = await cachedGateway(shared);
    const tally = new Tally();
    await sendHits(gw, tally, [0, 1, 0, 1, 1, 0, 1]);
    const conflict = hitInBetween(gw, tally, (a) => a.value === ""); // the swap that empties the slot
    await gw.advance((INTERVAL + 1) * 1000);
    await conflict.done();
    await drain(gw, INTERVAL);
    return { g: gw, tally, conflict };
  }],
  ["an undelivered report put back while another worker records a hit", async (shared) => {
    const gw = await cachedGateway(shared);
    const tally = new Tally();
    await sendHits(gw, tally, [0, 1, 0, 1]);
    let refused = 0;
    gw.backend = (call) => (isReport(call) ? (refused++, { status: 503 }) : gw.forward(call));
    const conflict = hitInBetween(gw, tally, (a) => a.value !== "" && refused > 0); // the put-back after the 503
    await gw.advance((INTERVAL + 1) * 1000);
    expect(refused).toBe(1);
    gw.backend = gw.forward;
    await conflict.done();
    await drain(gw, INTERVAL);
    expect(gw.metric("reports.failures")).toBe(1);
    return { g: gw, tally, conflict };
  }],
];

describe("usage counted exactly under CAS conflicts", () => {
  for (const [name, scenario] of SCENARIOS) {
    it(`counts ${name}`, async () => {
      const { g: gw, tally, conflict } = await scenario(new SharedState());
      expectExactCounts(gw, tally);
      expectRetried(conflict);
      expect(tally.allowed).toBe(tally.got(200));
      expect(tally.statuses.size).toBe(1);
    });
  }

  it("counts mixed traffic when every CAS write is refused three times in a row before it lands", async () => {
    const shared = new SharedState();
    const gw = await cachedGateway(shared);
    let refused = 0;
    const streak = new Map<string, number>();
    shared.data.interleave(USAGE_SLOT, ({ op, vmId, key, cas }) => {
      if (op !== "set" || cas === 0) return;
      const held = shared.data.get(vmId, key); // slot keys are ASCII
      if (!held) return;
      const n = streak.get(key) ?? 0;
      streak.set(key, n === 3 ? 0 : n + 1);
      if (n === 3) return;
      shared.data.set(vmId, key, held.value, 0); // another worker rewrote it: a fresh token
      refused++;
    });
    const tally = new Tally();
    await traffic(gw, tally, { requests: 200, concurrent: 10, pauseMs: 600 });
    await drain(gw, INTERVAL);
    expect(refused).toBeGreaterThan(100);
    expect(gw.metric("cache.table_full")).toBe(0); // three refusals never exhaust a slot's attempts
    expectExactCounts(gw, tally);
  });
});

describe("a host refusing every CAS write (bounded retries, never a trap)", () => {
  it("falls back to synchronous authreps when no usage slot can be written, and counts exactly", async () => {
    const shared = new SharedState();
    const gw = await cachedGateway(shared, { max_entries: 16 });
    for (let i = 0; i < 16; i++) gw.host.sharedData.set(`authrep-wasm/authrep//u/${i}`, ""); // free but existing
    const refusing = shared.data.failCas(USAGE_SLOT, Infinity);
    const tally = new Tally();
    await sendHits(gw, tally, [0, 1, 0, 1, 0, 1]);
    expect(tally.got(200)).toBe(6);
    expect(refusing.failed).toBeGreaterThan(0);
    // bounded: five cache hits, each at most 4 probes × 4 attempts
    expect(refusing.failed).toBeLessThanOrEqual(5 * 4 * 4);
    expect(gw.metric("cache.table_full")).toBe(5);
    expect(gw.authreps()).toHaveLength(6); // each reported its own request
    expect(gw.host.instances.map((vm) => vm.failed)).toEqual([false, false]);
    await drain(gw, INTERVAL);
    expectExactCounts(gw, tally);
  });

  it("gives up taking a slot without losing it: reported once the worker writes it again", async () => {
    const shared = new SharedState();
    const gw = await cachedGateway(shared);
    const tally = new Tally();
    await sendHits(gw, tally, [0, 0, 0, 0]);
    const refusing = shared.data.failCas(USAGE_SLOT, Infinity);
    await gw.advance((INTERVAL + 1) * 1000);
    expect(refusing.failed).toBeGreaterThan(0);
    expect(refusing.failed).toBeLessThanOrEqual(4); // one take, four attempts
    expect(gw.host.instances.map((vm) => vm.failed)).toEqual([false, false]);
    expect(recorded(gw).get(HITS)).toBe(1); // the authrep only: the table kept the rest
    refusing.remove();
    await hit(gw, tally, 0);
    await drain(gw, INTERVAL);
    expectExactCounts(gw, tally);
  });
});

describe("the ignoreCas mutation (a module whose shared-data writes ignore the token)", () => {
  for (const [name, scenario] of SCENARIOS) {
    it(`loses usage in: ${name}`, async () => {
      const shared = new SharedState();
      shared.data.ignoreCas = true;
      const { g: gw, tally, conflict } = await scenario(shared);
      expect(() => expectRetried(conflict)).toThrow(); // the write landed: nothing to retry
      expect(recorded(gw).get(HITS)).toBe(tally.expected.get(HITS)! - 1);
    });
  }
});
