// The module's metrics in a real Envoy 1.40 (--concurrency 2): after requests of every kind the
// filter can see here, /stats shows each counter summed over both workers, and the histogram.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, service } from "../support/configs";
import { envoyBin, send, SERVICE_ID, SERVICE_TOKEN, startStack, type Stack } from "./support";

const SITE = "api.example.com";
const products = service({ id: SERVICE_ID, token: SERVICE_TOKEN, authorities: [SITE] });

/** /stats shows a custom metric as `wasmcustom.<name>` or `<name>` (spec §8) */
const statName = (name: string) => new RegExp(`^(wasmcustom\\.)?${name.replace(/\./g, "\\.")}$`);

describe.skipIf(!envoyBin)("authrep-wasm metrics in real Envoy", () => {
  let s: Stack;
  beforeAll(async () => { s = await startStack(config([products])); });
  afterAll(async () => { await s?.stop(); });

  const counter = async (name: string): Promise<number | undefined> => {
    const found = Object.entries(await s.envoy.stats("authrep_wasm")).filter(([k]) => statName(name).test(k));
    expect(found.length, `${name} in /stats`).toBeLessThanOrEqual(1);
    return found[0]?.[1];
  };

  it("counts decisions, backend calls and status classes over both workers", async () => {
    s.simulator.setNow("2030-01-01T00:00:30Z"); // a frozen clock keeps the trial plan's minute window
    const get = (path: string, host = SITE, method = "GET") => send(s.envoy, path, { host }, method);
    // parallel, on fresh connections, so both workers serve some
    const statuses = (await Promise.all([
      ...Array.from({ length: 3 }, () => get("/?user_key=uk-1")),
      ...Array.from({ length: 4 }, () => get("/?user_key=uk-trial")), // 3 hits a minute: the 4th is 429
      get("/?user_key=nope"), // 403 user_key_invalid
      get("/?user_key=uk-1", "other.org"), get("/?user_key=uk-1", "other.org"),
      get("/"),
      get("/?user_key=uk-1", SITE, "POST"),
    ])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 404, 429]);
    s.simulator.inject({ scope: "backend", answer: "error", status: 500, times: 1 });
    expect((await get("/?user_key=uk-1")).status).toBe(403);

    const expected: Record<string, number> = {
      "requests.allowed": 6, "requests.denied.limits_exceeded": 1, "requests.denied.auth_failed": 2,
      "requests.denied.unknown_service": 2, "requests.denied.credentials_missing": 1, "requests.denied.no_mapping_rule": 1,
      "requests.denied.backend_unavailable": 0, "requests.denied.other": 0,
      "backend.calls": 9, "backend.failures": 0,
      "backend.status.2xx": 6, "backend.status.4xx": 2, "backend.status.5xx": 1, "backend.status.invalid": 0,
      // measured on Envoy 1.40: on_configure runs on concurrency + 2 VM instances (canary, main thread, workers)
      "config.accepted": 4, "config.rejected": 0,
    };
    for (const [name, value] of Object.entries(expected)) expect(await counter(`authrep_wasm.${name}`), name).toBe(value);

    const perWorker = Object.values(await s.envoy.stats("worker_\\d+\\.downstream_cx_total"));
    expect(perWorker).toHaveLength(2);
    for (const n of perWorker) expect(n).toBeGreaterThan(0);
  });

  it("has the backend latency histogram", async () => {
    const lines = (await s.envoy.admin("/stats?filter=authrep_wasm")).split("\n");
    expect(lines.some((l) => statName("authrep_wasm.backend.latency_ms").test(l.slice(0, l.indexOf(":"))))).toBe(true);
  });
});
