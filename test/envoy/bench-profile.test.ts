// The profile section of `npm run bench` (V8's sampling profiler on the in-process host), run
// through the real command line with few requests. Only structure and behaviour are asserted: both
// variants ran the request they claim (no backend call on a cached hit, one per request
// otherwise) and the Wasm time was attributed to folders of assembly/ — never times or shares.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envoyBin, runBench } from "./support";

const REQUESTS = 400;

describe.skipIf(!envoyBin)("npm run bench: profile section (short run)", () => {
  it("profiles a cached hit and an authrep per request and attributes the time by area", { timeout: 180_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-profile-"));
    try {
      const run = await runBench(["--only", "profile", "--profile-requests", String(REQUESTS), "--out", out]);
      expect(run.code, run.stderr).toBe(0);
      const files = readdirSync(out).filter((f) => f.endsWith(".json"));
      const json = JSON.parse(readFileSync(join(out, files[0]), "utf8"));
      const [section] = json.sections;
      expect(section.section).toBe("profile");
      expect(run.stdout).toContain(section.title);
      const [cached, authrep] = section.data;
      expect([cached.label, authrep.label]).toEqual(["cached hit", "authrep per request"]);
      expect(cached.backendCallsProfiled).toBe(0);
      expect(authrep.backendCallsProfiled).toBe(REQUESTS);
      for (const v of [cached, authrep]) {
        expect(v.requests).toBe(REQUESTS);
        expect(v.wasmUsPerRequest).toBeGreaterThan(0);
        // the probe's exact allocation counts: every request allocates something, and not unboundedly
        expect(v.blocksPerRequest).toBeGreaterThan(1);
        expect(v.bytesPerRequest).toBeGreaterThan(v.blocksPerRequest * 16);
        expect(v.bytesPerRequest).toBeLessThan(64 * 1024);
        const areas = Object.keys(v.areas);
        expect(areas.some((a) => ["pipeline", "url", "abi", "cache", "filter"].includes(a))).toBe(true);
        expect(areas.every((a) => /^[a-z_]+$|^GC \(collection\)$|^host \(JS\)$|^V8 \(JS GC\)$|^exports and runtime$/.test(a))).toBe(true);
        expect(v.topFunctions.length).toBeGreaterThan(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
