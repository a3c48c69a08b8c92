// The benchmark's load generator, against the echo upstream directly (no Envoy needed).
import { describe, expect, it } from "vitest";
import { measure } from "../../bench/load";
import { startUpstream } from "../../tools/upstream/upstream";

describe("bench measure()", () => {
  it("counts successful requests and reports ordered percentiles", async () => {
    const upstream = await startUpstream();
    try {
      const s = await measure(upstream.url, { connections: 2, durationS: 1, path: "/x", headers: { "x-a": "1" } });
      expect(s.requests).toBeGreaterThan(0);
      expect(s.failures).toBe(0);
      expect(s.p50Ms).toBeGreaterThan(0);
      expect(s.p99Ms).toBeGreaterThanOrEqual(s.p50Ms);
    } finally {
      await upstream.stop();
    }
  });
});
