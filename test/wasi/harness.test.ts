// The WASI harness (assembly/wasi → build/authrep-harness.wasm) built from the filter's pipeline:
// its imports, its stdin/stdout contract, the public vectors under node:wasi and under the PyPI
// wasmtime package (one process start per runner: the vectors go as one batch), and a sample
// compared field by field with the proxy-wasm module.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHarness, HARNESS_WASM, type HarnessDecision, type HarnessDocument, type HarnessResult, type HarnessRun } from "../../tools/wasi/harness";
import { runUnderNode } from "../../tools/wasi/run";
import { runUnderWasmtime } from "../../tools/wasi/wasmtime";
import { config, service } from "../support/configs";
import { ModuleUnderHost } from "./parity";
import { headerCases, metadataCases, requestHeaders, ruleCases, type VectorCase } from "./vectors";
import { wasmtimeForTests } from "./wasmtime";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const haveWasmtime = wasmtimeForTests();
const cases: VectorCase[] = [...headerCases, ...metadataCases, ...ruleCases];

beforeAll(buildHarness);

it("imports only wasi_snapshot_preview1 and exports a WASI command", () => {
  const module = new WebAssembly.Module(readFileSync(HARNESS_WASM));
  expect(new Set(WebAssembly.Module.imports(module).map((i) => i.module))).toEqual(new Set(["wasi_snapshot_preview1"]));
  expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(["_start", "memory"]);
});

type Runner = (input: string) => HarnessRun | Promise<HarnessRun>;
const runners: [string, Runner][] = [["node:wasi", runUnderNode]];
if (haveWasmtime) runners.push(["wasmtime (PyPI)", runUnderWasmtime]);

describe.each(runners)("under %s", (_, run) => {
  let batch: HarnessRun;
  let results: HarnessResult[];
  beforeAll(async () => {
    batch = await run(JSON.stringify(cases.map((c) => c.doc)));
    results = JSON.parse(batch.stdout);
  });

  it("answers a batch in order, exiting with its worst code", () => {
    expect(results).toHaveLength(cases.length);
    expect(batch.exitCode).toBe(cases.some((c) => c.rejected) ? 1 : 0);
  });

  it.each(cases.map((c, i) => [c.name, i] as const))("%s", (_, i) => cases[i].check(results[i]));

  it("exits 0 with a decision, 1 on a rejected configuration, 2 on malformed input", async () => {
    const ok = await run(JSON.stringify({ config: JSON.stringify(config()), request: { headers: requestHeaders("/", [["user_key", "k\u0001\"\\é😂"]]) } }));
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).decision.authrep.headers).toContainEqual([":path", expect.stringContaining("user_key=k%01%22%5C%C3%A9%F0%9F%98%82&")]);
    const rejected = await run(JSON.stringify({ config: { api: "v2" } }));
    expect([rejected.exitCode, JSON.parse(rejected.stdout)]).toEqual([1, { configured: false, error: expect.any(String), warnings: [] }]);
    const sample = await run(readFileSync(`${REPO_ROOT}examples/harness/request.json`, "utf8"));
    expect(sample.exitCode).toBe(0);
    expect(JSON.parse(sample.stdout)).toMatchObject({ decision: { outcome: "authrep" }, answer_decision: { outcome: "continue" } });
    for (const input of ["{", "[]x", JSON.stringify({ config: {}, request: { headers: [["a"]] } }), JSON.stringify({ config: {}, extra: 1 })]) {
      const malformed = await run(input);
      expect(malformed.exitCode).toBe(2);
      expect(JSON.parse(malformed.stdout)).toEqual({ malformed: expect.any(String) });
    }
  });

  it("runs a scenario through the authorization policy: lead, join, allowance, cached denial, failure", async () => {
    const base = config();
    const cached = { ...base, backend: { ...(base.backend as object), cache: { authorization_ttl: 10 } } };
    const request = (at: number, key: string) => ({ at, request: { headers: requestHeaders("/", [["user_key", key]]) } });
    const r = await run(JSON.stringify({ config: cached, steps: [
      request(1000, "k1"),
      request(1001, "k1"),
      { at: 1100, answer: { status: "200", limit_max: "5", limit_remaining: "1", limit_reset: "60" } },
      request(1200, "k1"),
      request(1300, "k2"),
      { at: 1400, answer: { status: null } },
      request(1500, "k3"),
      { at: 1600, answer: { status: "403", rejection_reason: "user_key_invalid" } },
      request(1700, "k3"),
      request(12000, "k1"),
    ] }));
    expect(r.exitCode).toBe(0);
    const events = JSON.parse(r.stdout).events.map((e: { step: number; request: number; decision: HarnessDecision | null }) =>
      [e.step, e.request, e.decision ? `${e.decision.outcome} ${e.decision.status} ${e.decision.details}` : "waits"]);
    expect(events).toEqual([
      [0, 0, "authrep 0 "], // a miss: this request's authrep leads the key
      [1, 1, "waits"], // the same key joins it
      [2, 0, "continue 0 "],
      [2, 1, "continue 0 "], // from the cache: the one call the backend said remain
      [3, 3, "reply 429 authrep_limits_exceeded"], // none left: refused locally
      [4, 4, "authrep 0 "],
      [5, 4, "reply 502 authrep_backend_unavailable"], // no answer, failure policy closed
      [6, 6, "authrep 0 "],
      [7, 6, "reply 403 authrep_denied_403"],
      [8, 8, "reply 403 authrep_denied_403"], // the denial is cached
      [9, 9, "authrep 0 "], // k1's entry expired
    ]);
    const unanswerable = await run(JSON.stringify({ config: cached, steps: [{ at: 0, answer: { status: "200" } }] }));
    expect([unanswerable.exitCode, JSON.parse(unanswerable.stdout)]).toEqual([2, { malformed: "steps[0]: no authrep in flight to answer" }]);
  });
});

it("answers the same batch four times in one Node process (node:wasi's fast calls crashed it, nodejs/node#46777)", () => {
  // a separate process, so a crash cannot kill this one; a small young generation makes the GCs
  // that crashed inside node:wasi's calls frequent (without the fix: SIGSEGV in 3 of 4 runs)
  const input = JSON.stringify(cases.map((c) => c.doc));
  const child = spawnSync(process.execPath, ["--max-semi-space-size=1", "--import", "tsx", "test/wasi/repeat-node-runs.ts", "4"], { input, encoding: "utf8", cwd: REPO_ROOT, maxBuffer: 64 << 20 });
  expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
  const runs: HarnessRun[] = JSON.parse(child.stdout);
  expect(runs).toHaveLength(4);
  for (const run of runs) expect(run).toEqual(runs[0]);
  expect(JSON.parse(runs[0].stdout)).toHaveLength(cases.length);
});

/** sample documents covering every outcome, answer handling and both configuration forms */
function sample(): HarnessDocument[] {
  const appCreds = { app_id: [{ header: { keys: ["x-app-id"] } }], app_key: [{ header: { keys: ["x-app-key"] } }] };
  const get = (extra: [string, string][] = [], path = "/products/1") => ({ headers: requestHeaders(path, extra) });
  return [
    ...cases.filter((_, i) => i % 7 === 0).map((c) => c.doc),
    { config: config(), request: get([["user_key", "uk"]]), answer: { status: "200" } },
    { config: JSON.stringify(config()), request: get([["user_key", "uk"]]), answer: { status: "409", rejection_reason: "limits_exceeded" } },
    { config: config(), request: get([["user_key", "uk"]]), answer: { status: "403", rejection_reason: "user_key_invalid" } },
    { config: config(), request: get([["user_key", "uk"]]), answer: { status: null } },
    { config: config([service({ credentials: appCreds })]), request: get([["x-app-id", "id"], ["x-app-key", "key"]]) },
    { config: config([service({ authorities: ["api.example.org"] })]), request: get([["user_key", "uk"]]) },
    { config: config(), request: { headers: [[":authority", "example.com"], [":method", "GET"]] } },
    { config: config(), request: get([["user_key", "uk"]], "/nothing/matches?x") },
    { config: config([service()], { passthrough_metadata: true }), request: get([["user_key", "uk"], ["x-3scale-user-key", "spoofed"]]) },
    { config: config([service({ token: null })]), request: get([["user_key", "uk"]]) },
    { config: { ...config(), backend: undefined, system: undefined } },
    { config: config([], { api: "v2" }) },
  ];
}

describe("parity with the proxy-wasm module", () => {
  let module: ModuleUnderHost;
  beforeAll(async () => { module = await ModuleUnderHost.create(); });
  afterAll(async () => { await module.close(); });

  it("gives the same verdicts, replies, authrep calls and answers on a sample", async () => {
    const docs = sample();
    const results: HarnessResult[] = JSON.parse((await runUnderNode(JSON.stringify(docs))).stdout);
    for (let i = 0; i < docs.length; i++) await module.expectSame(docs[i], results[i]);
  });
});
