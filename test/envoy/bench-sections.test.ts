// The cache sections of `npm run bench` (cache warm, backend calls vs request rate, memory over
// N requests), run through the real command line in a very short version against real Envoy.
// Only structure and sanity are asserted — sections present, numbers present, no failed
// requests, the JSON written — never timings, rates or ratios: those are for the bench itself.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envoyBin, runBench } from "./support";

// short cache intervals so that expiries, refreshes and reports happen within the few seconds
const CACHE = { authorization_ttl: 2, report_interval: 2, max_entries: 100 };
const RATE = 50;

const isNumber = (x: unknown) => typeof x === "number" && Number.isFinite(x);

interface Sample { requests: number; rps: number; p50Ms: number; p99Ms: number; failures: number; durationS: number }
interface Section { section: string; title: string; rows: object[]; machine?: { othersCpuBusyBefore?: number; loadavgAfter: number[] }; data: Record<string, any> }

function expectSample(s: Sample): void {
  expect(s.requests).toBeGreaterThan(0);
  expect(s.failures).toBe(0);
  for (const k of ["rps", "p50Ms", "p99Ms", "durationS"] as const) expect(isNumber(s[k]), k).toBe(true);
}

describe.skipIf(!envoyBin)("npm run bench: cache sections (short run)", () => {
  it("runs cache, rate and memory and writes their data to the JSON file", { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-sections-"));
    try {
      const run = await runBench([
        "--only", "cache,rate,memory",
        "--cache", JSON.stringify(CACHE),
        "--users", "3",
        "--duration", "1", "--warmup", "1", "--rounds", "1",
        "--rate", String(RATE), "--rate-duration", "2",
        "--requests", "20000",
        "--out", out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const files = readdirSync(out).filter((f) => f.endsWith(".json"));
      expect(files).toHaveLength(1);
      expect(run.stdout).toContain(join(out, files[0]));
      const json = JSON.parse(readFileSync(join(out, files[0]), "utf8")) as { startedAt: string; env: object; options: object; sections: Section[] };
      expect(json.options).toMatchObject({ only: "cache,rate,memory", requests: "20000" });
      expect(json.sections.map((s) => s.section)).toEqual(["cache", "rate", "memory"]);
      for (const s of json.sections) {
        expect(s.title).toBeTruthy();
        expect(s.machine?.loadavgAfter).toHaveLength(3);
        expect(s.rows.length).toBeGreaterThan(0);
        expect(run.stdout).toContain(s.title);
      }
      const [cache, rate, memory] = json.sections;

      // cache warm: baseline and filter samples, the comparison, the targets and whether they were met
      expect(cache.data.options.paths).toHaveLength(3);
      expect(cache.data.samples.baseline).toHaveLength(1);
      expect(cache.data.samples.filter).toHaveLength(1);
      [...cache.data.samples.baseline, ...cache.data.samples.filter].forEach(expectSample);
      for (const k of ["rpsRatio", "addedP50Ms", "addedP99Ms"]) expect(isNumber(cache.data.summary[k]), k).toBe(true);
      expect(cache.data.goals).toMatchObject({ minRpsRatio: 0.9, maxAddedP99Ms: 0.5 });
      expect(typeof cache.data.goals.rpsRatioMet).toBe("boolean");
      expect(typeof cache.data.goals.addedP99Met).toBe("boolean");
      expect(isNumber(cache.data.filterActivity.cacheHits)).toBe(true);

      // backend calls vs rate: R and 2R for the cache and for the no-cache contrast
      expect(rate.data.configs.map((c: { config: string }) => c.config)).toEqual(["cache on", "no cache"]);
      for (const c of rate.data.configs) {
        expect(c.phases.map((p: { rate: number }) => p.rate)).toEqual([RATE, 2 * RATE]);
        for (const p of c.phases) {
          expectSample(p.sample);
          expect(p.calls.clusterRequests).toBeGreaterThanOrEqual(0);
          expect(isNumber(p.calls.backendCalls)).toBe(true);
          expect(isNumber(p.callsPerS)).toBe(true);
          expect(p.simLog.non2xx).toBe(0);
        }
        expect(typeof c.callsRatio).toBe("number"); // Infinity is written as null: not expected here
      }
      const noCache = rate.data.configs[1];
      // without the cache every request is a backend call
      for (const p of noCache.phases) expect(p.calls.clusterRequests).toBeGreaterThanOrEqual(p.sample.requests);
      expect(typeof rate.data.configs[0].flat).toBe("boolean");

      // memory: the gauge before and after, the verdict, the trace
      expectSample(memory.data.sample);
      expect(memory.data.sample.requests).toBeGreaterThanOrEqual(20_000);
      expect(isNumber(memory.data.before.memoryPages)).toBe(true);
      expect(isNumber(memory.data.after.memoryPages)).toBe(true);
      expect(isNumber(memory.data.growthPages)).toBe(true);
      expect(typeof memory.data.flat).toBe("boolean");
      // the stated memory bound holds: pages once configured + per worker a constant times the largest input
      expect(isNumber(memory.data.configuredPages)).toBe(true);
      expect(memory.data.withinBound, `peak pages vs bound ${memory.data.boundPages}`).toBe(true);
      expect(memory.data.after.memoryPages).toBeLessThanOrEqual(memory.data.boundPages);
      // the 8 MiB per VM target for 1,000 mapping rules, over the three VMs
      expect(memory.data.options.rules).toBe(1000);
      expect(memory.data.targetPages).toBe(3 * 128);
      expect(memory.data.withinTarget, `pages configured ${memory.data.configuredPages}, end ${memory.data.after.memoryPages}`).toBe(true);
      expect(isNumber(memory.data.lateGrowthPages)).toBe(true);
      expect(memory.data.activity.requestsAllowed).toBeGreaterThanOrEqual(20_000);
      expect(Array.isArray(memory.data.trace)).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
