// The authorizer's policy as a unit (assembly/cache/authorization_policy.ts): no host, an
// in-memory shared store, explicit times (test/as/cache/authorization_policy.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { loadAsUnit } from "../support/as-unit";

let m: any;
beforeAll(async () => { m = await loadAsUnit("test/as/cache/authorization_policy.ts"); }, 120_000);

describe("the authorization policy", () => {
  it("leads an authrep on a miss, joins it on the same worker, then answers from the cache", () => {
    expect(m.hitAfterMiss()).toEqual([
      "authrep, leads",
      "waits",
      "r1: allowed; r2: again allowed",
      "allowed",
      "unreported 2",
    ]);
  });

  it("makes another worker wait on the lease and wakes it with the answer", () => {
    expect(m.secondWorkerWaits()).toEqual([
      "authrep, leads",
      "waits",
      "b wakes none",
      "r1: allowed",
      "notified 7",
      "b wakes r2: allowed",
    ]);
  });

  it("lets a waiter ask the backend itself once the lease lapses", () => {
    expect(m.leaseLapse()).toEqual(["authrep, leads", "waits", "b wakes none", "b wakes r2: authrep, coalesces"]);
  });

  it("serves an expired authorization within stale_seconds, and not after", () => {
    expect(m.staleWithinBound()).toEqual([
      "authrep, leads", "r1: allowed",
      "authrep, leads", "r2: allowed",
      "authrep, leads", "r3: allowed",
      "authrep, leads", "r4: reply 502 authrep_backend_unavailable",
    ]);
  });

  it("fails open, except for a key the backend last denied", () => {
    expect(m.failOpen()).toEqual([
      "authrep, leads", "r1: reply 403 authrep_denied_403",
      "authrep, leads", "r2: reply 403 authrep_denied_403",
      "authrep, leads", "r3: allowed",
    ]);
  });

  it("lifts a cached limits denial when the limit resets", () => {
    expect(m.limitDenialLifts()).toEqual([
      "authrep, leads", "r1: reply 429 authrep_limits_exceeded",
      "reply 429 authrep_limits_exceeded", "authrep, leads",
    ]);
  });

  it("counts the backend's remaining calls down, then refuses locally until the next authrep", () => {
    expect(m.allowanceCountsDown()).toEqual([
      "authrep, leads", "r1: allowed",
      "allowed", "allowed", "reply 429 authrep_limits_exceeded",
      "authrep, leads",
    ]);
  });

  it("does not cache an answer to a call made under an earlier configuration", () => {
    expect(m.generationChange()).toEqual(["authrep, leads", "r1: allowed", "authrep, leads"]);
  });

  it("asks the backend synchronously when the usage table cannot take the request", () => {
    expect(m.fullUsageTable()).toEqual(["authrep, leads", "r1: allowed", "authrep"]);
  });
});
