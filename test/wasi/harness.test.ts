// The WASI harness (assembly/wasi → build/authrep-harness.wasm) built from the filter's pipeline:
// its imports, its stdin/stdout contract, the public vectors under node:wasi and under the PyPI
// wasmtime package (one process start per runner: the vectors go as one batch), and a sample
// compared field by field with the proxy-wasm module.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHarness, HARNESS_WASM, type HarnessDocument, type HarnessResult, type HarnessRun } from "../../tools/wasi/harness";
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
