// Every VM instance defines the same metrics in on_configure; each on_configure counts as
// accepted or rejected (the host runs a canary instance before the workers, as Envoy does).
// The first 100 services of a configuration also get their own counters, named by a sanitized id.
import { describe, expect, it } from "vitest";
import { config, service } from "../support/configs";
import { delta, start } from "./support";

const NAMES = [
  "requests.allowed",
  ...["not_configured", "config_incomplete", "bad_request", "unknown_service", "credentials_missing", "no_mapping_rule", "credentials_too_large", "query_too_large",
    "limits_exceeded", "backend_unavailable", "auth_failed", "other"].map((r) => `requests.denied.${r}`),
  "backend.calls", "backend.failures", "backend.status.2xx", "backend.status.4xx", "backend.status.5xx", "backend.status.invalid",
  "backend.latency_ms", "config.accepted", "config.rejected",
  "cache.hits", "cache.misses", "cache.coalesced", "cache.table_full",
  "failure_policy.stale_served", "failure_policy.opened", "usage.unreported",
  "reports.calls", "reports.failures", "reports.requests", "reports.dropped_requests", "reports.batch_size",
  "system.fetches", "system.fetch_failures", "memory.pages",
].map((n) => `authrep_wasm.${n}`);
/** `service.<segment>.…`: the reasons a request can have once it selected a service */
const serviceNames = (segment: string) => [
  "requests.allowed",
  ...["config_incomplete", "bad_request", "credentials_missing", "no_mapping_rule", "credentials_too_large", "query_too_large",
    "limits_exceeded", "backend_unavailable", "auth_failed", "other"].map((r) => `requests.denied.${r}`),
  ...["2xx", "4xx", "5xx", "invalid"].map((c) => `backend.status.${c}`),
].map((n) => `authrep_wasm.service.${segment}.${n}`);
const DEFAULT_SERVICE = "2555417900001"; // test/support/configs.ts
const ALL = [...NAMES, ...serviceNames(DEFAULT_SERVICE)];
const HISTOGRAMS = ["authrep_wasm.backend.latency_ms", "authrep_wasm.reports.batch_size"];

describe("configuration metrics", () => {
  it("defines every metric on configure, counters at 0, two histograms and the memory gauge", async () => {
    const host = await start(config());
    try {
      const metrics = host.metrics();
      expect(Object.keys(metrics).sort()).toEqual([...ALL].sort());
      for (const [name, m] of Object.entries(metrics)) {
        expect(m.kind).toBe(HISTOGRAMS.includes(name) ? "histogram" : name.endsWith("memory.pages") ? "gauge" : "counter");
        if (!name.startsWith("authrep_wasm.config.") && m.kind !== "gauge") expect(m.value).toBe(0);
      }
    } finally { await host.close(); }
  });

  it("counts accepted and rejected configurations per instance (canary, then each worker)", async () => {
    const host = await start(config());
    try {
      expect(host.metric("authrep_wasm.config.accepted")?.value).toBe(2);
      expect(host.metric("authrep_wasm.config.rejected")?.value).toBe(0);
      expect(await delta(host, async () => expect((await host.configure("{")).accepted).toBe(false)))
        .toEqual({ "authrep_wasm.config.rejected": 1 });
      expect(await delta(host, async () => expect((await host.configure("x".repeat(2 << 20))).accepted).toBe(false)))
        .toEqual({ "authrep_wasm.config.rejected": 1 });
      expect(await delta(host, async () => expect((await host.configure(JSON.stringify(config()))).accepted).toBe(true)))
        .toEqual({ "authrep_wasm.config.accepted": 2 });
      expect(Object.keys(host.metrics())).toHaveLength(ALL.length);
    } finally { await host.close(); }
  });

  it("gives the first 100 services their own counters, ids sanitized and capped; ids sanitizing alike share", async () => {
    const long = "x".repeat(70);
    const odd = [service({ id: "a.b/c d" }), service({ id: "a_b_c_d" }), service({ id: long }), service({ id: "" })];
    const numbered = Array.from({ length: 100 }, (_, i) => service({ id: String(1000 + i) }));
    const host = await start(config([...odd, ...numbered]));
    try {
      const segments = new Set(Object.keys(host.metrics()).filter((n) => n.startsWith("authrep_wasm.service."))
        .map((n) => n.split(".")[2]));
      expect([...segments].sort()).toEqual(["a_b_c_d", "x".repeat(64), "_", ...numbered.slice(0, 96).map((s) => String(s.id))].sort());
      expect(Object.keys(host.metrics())).toHaveLength(NAMES.length + 99 * serviceNames("").length);
    } finally { await host.close(); }
  });
});
