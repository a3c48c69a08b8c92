// The pinned section of `npm run bench` (one Envoy worker pinned to a CPU, wrk on the other),
// run through the real command line in a very short version. Only structure and behaviour are
// asserted — every variant served its requests with the expected status, filters deny a request
// without credentials, the cache answers without the backend — never CPU times, rates or ratios.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locateWrk } from "../../bench/wrk";
import { envoyBin, runBench } from "./support";

function wrkForTests(): string | undefined {
  const wrk = locateWrk();
  if (wrk) return wrk;
  const why = "wrk not found; run scripts/ensure-wrk.sh";
  if (process.env.CI === "true") throw new Error(`${why} — required under CI`);
  console.warn(`\n!! SKIPPING the pinned bench test: ${why}\n`);
  return undefined;
}

const wrk = wrkForTests();

const ROUNDS = 2;
const FILTERING = ["authrep", "cache1", "cache1000", "reference"];

describe.skipIf(!envoyBin || !wrk)("npm run bench: pinned section (short run)", () => {
  it("measures every variant, each serving its requests with 200, and writes the table's data", { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-pinned-"));
    try {
      const run = await runBench(["--only", "pinned", "--duration", "1", "--warmup", "1", "--rounds", String(ROUNDS), "--connections", "4", "--out", out]);
      expect(run.code, run.stderr).toBe(0);
      const files = readdirSync(out).filter((f) => f.endsWith(".json"));
      expect(files).toHaveLength(1);
      const json = JSON.parse(readFileSync(join(out, files[0]), "utf8"));
      expect(json.sections.map((s: { section: string }) => s.section)).toEqual(["pinned"]);
      const { title, rows, data } = json.sections[0];
      expect(run.stdout).toContain(title.split("\n")[0]);

      const ids = data.variants.map((v: { id: string }) => v.id);
      // the reference runs when its module is there; otherwise the note says why not
      expect(ids).toEqual(["none", "noop", "call", "authrep", "cache1", "cache1000", ...(data.referenceNote ? [] : ["reference"])]);
      if (data.referenceNote) expect(run.stderr + title).toContain(data.referenceNote);
      expect(rows).toHaveLength(ids.length);
      for (const row of rows) {
        for (const column of ["variant", "req/s", "× no filter", "CPU µs/req", "vs no filter", "vs no-op", "target", "this run"]) expect(row).toHaveProperty(column);
      }

      for (const id of ids) {
        expect(data.probes[id].withKey, id).toBe(200);
        if (FILTERING.includes(id)) expect(data.probes[id].withoutKey, id).toBeGreaterThanOrEqual(400);
        else expect(data.probes[id].withoutKey, id).toBe(200);

        expect(data.samples[id]).toHaveLength(ROUNDS);
        for (const s of data.samples[id]) {
          expect(s.served, id).toBeGreaterThan(0);
          expect(s.served2xx, id).toBe(s.served);
          expect(s.non2xx, id).toBe(0);
          expect(s.socketErrors, id).toBe(0);
          for (const k of ["rps", "cpuUsPerRequest", "envoyBusy", "p50Ms", "p99Ms"]) expect(Number.isFinite(s[k]) && s[k] > 0, `${id} ${k}`).toBe(true);
        }
        expect(Number.isFinite(data.summary[id].cpuUsPerRequest), id).toBe(true);
      }
      // one authrep per request without the cache; with it and one key, the backend is not asked
      expect(data.summary.authrep.backendCallsPerRequest).toBeGreaterThanOrEqual(0.9);
      if (ids.includes("reference")) expect(data.summary.reference.backendCallsPerRequest).toBeGreaterThanOrEqual(0.9);
      expect(data.summary.cache1.backendCallsPerRequest).toBeLessThan(0.05);
      // the one-call floor asks the backend once per request, like an authrep
      expect(data.summary.call.backendCallsPerRequest).toBeGreaterThanOrEqual(0.9);
      if (ids.includes("reference")) {
        for (const k of ["ours", "reference"]) expect(Number.isFinite(data.authrepAboveCallFloor[k]), k).toBe(true);
        for (const row of rows.filter((r: Record<string, string>) => /authrep per request/.test(r.variant))) expect(row["vs 1-call floor"]).toMatch(/^[+-]\d/);
      }

      // targets are judged, not asserted
      expect(typeof data.goals.cache1.met).toBe("boolean");
      expect(typeof data.goals.cache1000.met).toBe("boolean");
      expect(data.goals.authrep.met === null ? !ids.includes("reference") : typeof data.goals.authrep.met === "boolean").toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
