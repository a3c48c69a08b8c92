// Never trap: thousands of random and mutated configurations and requests, and hostile
// backend answers, through the built module. A trap would mark the VM instance failed.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import type { CallAnswer, Header } from "../../tools/host/types";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import { WASM } from "../support/module";

/** deterministic PRNG (mulberry32) so a failure can be replayed from the printed seed */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const opVectors: { ops: unknown }[] = JSON.parse(readFileSync(resolve(import.meta.dirname, "../ops/vectors/operations.json"), "utf8"));

const FRAGMENTS = ["", "a", "%", "%zz", "%FF", "%2F", "&&&", "=", "==", "+", " ", "é", "😀", "\u0000", "\n", "\\", "..", "/", "?", "#", "{", "}", "[", "]", ":", "@", "*", "user_key", "app_id", "Basic ", "YWxhZGRpbjpvcGVuc2VzYW1l", "eyJhenAiOiJ4In0="];

function text(r: Rng, max = 12): string {
  let s = "";
  for (let i = r.int(max); i > 0; i--) s += r.pick(FRAGMENTS);
  return s;
}

function bytes(r: Rng, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => r.int(256));
}

function randomJson(r: Rng, depth: number): unknown {
  switch (depth > 4 ? r.int(4) : r.int(7)) {
    case 0: return null;
    case 1: return r.next() < 0.5;
    case 2: return r.pick([0, -1, 1.5, 2 ** 53, 4294967296, -2147483649]);
    case 3: return text(r);
    case 4: return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(["keys", "ops", "path", "max", "min", "head", "tail", "if", "then", "separator", text(r, 3)]), randomJson(r, depth + 1)]));
  }
}

/** replaces one random node of a JSON tree by a random value */
function mutate(r: Rng, v: unknown, depth = 0): unknown {
  if (r.next() < 0.15 || v === null || typeof v !== "object") return randomJson(r, depth);
  if (Array.isArray(v)) {
    if (v.length === 0) return [randomJson(r, depth + 1)];
    const i = r.int(v.length);
    return v.map((x, j) => (j === i ? mutate(r, x, depth + 1) : x));
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0 || r.next() < 0.1) return { ...v, [text(r, 3)]: randomJson(r, depth + 1) };
  const i = r.int(entries.length);
  if (r.next() < 0.2) return Object.fromEntries(entries.filter((_, j) => j !== i));
  return Object.fromEntries(entries.map(([k, x], j) => [k, j === i ? mutate(r, x, depth + 1) : x]));
}

/** half the time with the cache (small tables and short intervals, so slots collide and reports run) and a failure policy */
function richConfig(r: Rng): unknown {
  const c = richServices(r) as { backend: Record<string, unknown>; failure_policy?: unknown };
  if (r.next() < 0.5) {
    c.backend.cache = { authorization_ttl: 1 + r.int(3), report_interval: 1 + r.int(3), max_entries: 16 + r.int(48), report_retries: r.int(3) };
    c.failure_policy = { mode: r.pick(["open", "closed"]), stale_seconds: r.int(5) };
  }
  return c;
}

function richServices(r: Rng): unknown {
  const ops = () => r.pick(opVectors).ops;
  return config([
    service({ authorities: [r.pick(["*", "+.example.com", "example.com", "a?b*"])], credentials: {
      user_key: [{ header: { keys: ["x-k"], ops: ops() } }, { query_string: { keys: ["user_key"], ops: ops() } }],
      app_id: [{ header: { keys: ["authorization"], ops: ops() } }, { filter: { path: ["a", "0"], keys: ["azp"] } }],
      app_key: [{ query_string: { keys: ["app_key"] } }],
    }, mapping_rules: [
      { method: "ANY", pattern: r.pick(["/", "/{id}", "/a.b*c|d", "/x?q={v}&r=1", "/[a-c]+$"]), usages: [{ name: text(r, 3), delta: r.int(3) - 1 }] },
    ] }),
  ]);
}

/** a quarter are well-formed for config(), so backend calls and their answers are reached often */
function randomHeaders(r: Rng): Header[] {
  if (r.next() < 0.25) {
    const path = r.pick(["/", "/1", "/abc", "/x?q=1&r=1"]);
    return [[":authority", "example.com"], [":path", path], [":method", "GET"], [":scheme", "https"], ["user_key", "k"], ["x-k", "k"], ...extraHeaders(r)];
  }
  const h: Header[] = [];
  const pseudo: [string, () => string][] = [
    [":authority", () => r.pick(["example.com", "EXAMPLE.com:443", "a b", "[::1]:8080", "xn--h-bga.com", "127.1", text(r)])],
    [":path", () => r.pick(["/", "/a/../b?user_key=k", "/?" + text(r, 20), "/" + text(r, 20), "*", "", text(r)])],
    [":method", () => r.pick(["GET", "post", "ANY", "", text(r, 3)])],
    [":scheme", () => r.pick(["https", "http", "ftp", "", text(r, 2)])],
  ];
  for (const [name, value] of pseudo) {
    const n = r.pick([0, 1, 1, 1, 2]); // missing and duplicated pseudo headers
    for (let i = 0; i < n; i++) h.push([name, value()]);
  }
  return [...h, ...extraHeaders(r)];
}

function extraHeaders(r: Rng): Header[] {
  const h: Header[] = [];
  for (let i = r.int(6); i > 0; i--) {
    const name = r.pick(["x-k", "authorization", "user_key", "x-app-id", "x-3scale-app-id", text(r, 3).toLowerCase() || "x"]);
    const kind = r.int(4);
    h.push([name, kind === 0 ? bytes(r, r.int(40)) : kind === 1 ? "x".repeat(r.pick([0, 1, 64 * 1024])) : text(r, 30)]);
  }
  return h;
}

function randomAnswer(r: Rng): CallAnswer {
  switch (r.int(9)) {
    case 0: return "reset";
    case 1: return "refused";
    case 2: return "timeout";
    case 3: return { status: 200, body: bytes(r, r.pick([0, 10, 1 << 20])) };
    case 4: return { headers: [[":status", text(r, 3)], ["3scale-rejection-reason", text(r, 4)]] };
    case 5: return { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] };
    case 6: return { headers: [] };
    case 7: return { status: r.pick([200, 409]), headers: [["3scale-rejection-reason", "limits_exceeded"], ["3scale-limit-remaining", text(r, 3)], ["3scale-limit-reset", r.pick(["-1", "0", "99999999999999999999", text(r, 4)])], ["3scale-limit-max-value", r.pick(["0", text(r, 2)])]] };
    default: return { status: r.pick([200, 403, 404, 409, 500, 999]) };
  }
}

/** another process (or an older module) wrote junk into a cache or usage slot of the plugin */
function corruptSlot(host: ProxyWasmHost, r: Rng): void {
  const key = `authrep-wasm/authrep//${r.pick(["a", "u"])}/${r.int(64)}`;
  const junk = r.pick([bytes(r, r.int(30)), Buffer.from(`${text(r, 4)} ${r.int(9)}\n${text(r, 20)}`), Buffer.from("99999999999999999999 1\nx"), new Uint8Array(0)]);
  host.shared.data.set("", key, junk, 0);
}

describe(`fuzz (FUZZ_SEED=${SEED})`, () => {
  let host: ProxyWasmHost;
  let r: Rng;
  let answer: CallAnswer = { status: 200 };
  beforeAll(async () => {
    r = rng(SEED);
    host = await ProxyWasmHost.create({ wasm: WASM, concurrency: 2, clusters: { [BACKEND_CLUSTER]: () => answer }, hangTimeoutMs: 3000 });
  });
  afterAll(async () => { await host.close(); });

  const noTrap = () => {
    for (const i of host.instances) expect(i.failed, `${i.label}: ${i.error}`).toBe(false);
  };

  it("survives 600 random and mutated configurations", async () => {
    let accepted = 0;
    for (let i = 0; i < 600; i++) {
      const kind = r.int(4);
      const text = kind === 0 ? JSON.stringify(mutate(r, richConfig(r)))
        : kind === 1 ? JSON.stringify(mutate(r, mutate(r, config())))
        : kind === 2 ? Buffer.from(bytes(r, r.int(200))).toString("latin1")
        : r.pick(["[".repeat(100000), '{"api":"v1","services":' + "[".repeat(5000), '"\\ud800"', "{".repeat(3) + "}"]);
      if ((await host.configure(text)).accepted) accepted++;
      noTrap();
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it("survives 3,000 hostile requests and backend answers", async () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      if (i % 100 === 0) {
        const cfg = r.next() < 0.3 ? config() : richConfig(r); // config(): the backend's answers decide
        if (!(await host.configure(JSON.stringify(cfg))).accepted) await host.configure(JSON.stringify(config()));
      }
      if (i % 50 === 0) host.advance(1000 + r.int(3000)); // ticks: reports, retries, slot scans
      answer = randomAnswer(r);
      const metadata = r.next() < 0.3 ? { a: { p: { azp: randomJson(r, 2) } }, [text(r, 2)]: { q: randomJson(r, 0) as Record<string, unknown> } } : undefined;
      const res = await host.request({ headers: randomHeaders(r), metadata: metadata as Record<string, Record<string, unknown>> });
      expect(["continue", "local_reply"]).toContain(res.outcome);
      outcomes.set(`${res.outcome} ${res.status}`, (outcomes.get(`${res.outcome} ${res.status}`) ?? 0) + 1);
    }
    noTrap();
    // the generator must reach the interesting branches, not only early rejections
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(["continue 200", "local_reply 403", "local_reply 502"]));
  });

  it("survives 3,000 cached requests with hostile answers, reports and junk in the shared slots", async () => {
    const cached = config() as { backend: Record<string, unknown> };
    cached.backend.cache = { authorization_ttl: 1, report_interval: 1, max_entries: 16, report_retries: 1 };
    expect((await host.configure(JSON.stringify({ ...cached, failure_policy: { mode: "open", stale_seconds: 2 } }))).accepted).toBe(true);
    for (let i = 0; i < 3000; i++) {
      if (i % 50 === 0) host.advance(r.int(2500)); // ticks: reports, retries, slot scans, expiries
      if (r.next() < 0.05) corruptSlot(host, r);
      answer = randomAnswer(r);
      // few keys and paths, so authorizations are found, coalesced and reported
      const path = `${r.pick(["/", "/products/1"])}?user_key=${r.pick(["k1", "k2", "k3", text(r, 4)])}`;
      const res = await host.request({ headers: [[":authority", "example.com"], [":path", path], [":method", "GET"], [":scheme", "https"]] });
      expect(["continue", "local_reply"]).toContain(res.outcome);
    }
    noTrap();
    for (const reached of ["cache.hits", "reports.calls", "reports.failures"]) expect(host.metric(`authrep_wasm.${reached}`)?.value, reached).toBeGreaterThan(0);
  });
});
