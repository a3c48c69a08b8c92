// The schema describes exactly what the module accepts: on every generated configuration both
// give the same verdict (cases.ts). Inexpressible differences are in inexpressible.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, CACHE_AND_POLICY, type Case, mutations, opCases, TARGETED } from "./cases";
import { moduleJudge, type ModuleJudge } from "./module-judge";
import { OPS } from "./op-table";
import { schemaAccepts, schemaError } from "../support/schema-validator";

let judge: ModuleJudge;
beforeAll(async () => { judge = await moduleJudge(); });
afterAll(async () => { await judge?.close(); });

/** the cases where schema and module disagree, with both reasons */
async function disagreements(cases: Case[]): Promise<string[]> {
  const out: string[] = [];
  for (const c of cases) {
    const schema = schemaAccepts(c.config);
    const module = await judge.accepts(c.config);
    if (schema !== module.accepted) out.push(`${c.name}: schema ${schema ? "accepts" : `rejects (${schemaError(c.config)})`}, module ${module.accepted ? "accepts" : `rejects (${module.error})`}`);
  }
  return out;
}

/** both verdicts must occur, or a group could pass by rejecting (or accepting) everything */
function verdicts(cases: Case[]): Set<boolean> {
  return new Set(cases.map((c) => schemaAccepts(c.config)));
}

it("the base configuration is valid for both", async () => {
  expect(schemaError(BASE)).toBe("");
  expect((await judge.accepts(BASE)).error).toBe("");
});

// Chunked so that each test stays well below the timeout on a busy machine.
const CHUNK = 400;
const groups = mutations();
const chunks = Object.entries(groups).flatMap(([group, cases]) =>
  Array.from({ length: Math.ceil(cases.length / CHUNK) }, (_, i): [string, Case[]] =>
    [`${group} (${i * CHUNK + 1}–${Math.min(cases.length, (i + 1) * CHUNK)} of ${cases.length})`, cases.slice(i * CHUNK, (i + 1) * CHUNK)]));

describe("mutations of the base configuration", () => {
  it.each(chunks)("%s", async (_, cases) => {
    expect(await disagreements(cases)).toEqual([]);
  });

  it.each(Object.entries(groups))("%s: both verdicts occur", (_, cases) => {
    expect(verdicts(cases)).toEqual(new Set([true, false]));
  });
});

describe("every operation in every shape, at top level and nested", () => {
  it.each(Object.keys(OPS))("%s", async (name) => {
    const cases = opCases(name);
    expect(await disagreements(cases)).toEqual([]);
    expect(verdicts(cases)).toEqual(new Set([true, false]));
  });
});

it("hand-picked enums, sources, credentials, globs, replies and unknown operations", async () => {
  expect(await disagreements(TARGETED)).toEqual([]);
});

describe("backend.cache, backend.limits, propagate_trace_context and failure_policy: bounds, types, nulls, unknown fields, stale_seconds needs the cache", () => {
  const parts = Array.from({ length: Math.ceil(CACHE_AND_POLICY.length / CHUNK) }, (_, i): [string, Case[]] =>
    [`${i * CHUNK + 1}–${Math.min(CACHE_AND_POLICY.length, (i + 1) * CHUNK)} of ${CACHE_AND_POLICY.length}`, CACHE_AND_POLICY.slice(i * CHUNK, (i + 1) * CHUNK)]);
  it.each(parts)("%s", async (_, cases) => {
    expect(await disagreements(cases)).toEqual([]);
  });

  it("both verdicts occur", () => {
    expect(verdicts(CACHE_AND_POLICY)).toEqual(new Set([true, false]));
  });
});
