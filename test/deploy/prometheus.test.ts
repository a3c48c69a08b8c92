// The stats_tags recipe of examples/production/envoy.yaml in a real Envoy: after known traffic
// for two services, /stats/prometheus has the module's totals labelled by decision, reason and
// status class, each service's own counters as `authrep_wasm_service_…` series with a `service`
// label too, with the right values, and none of them left under its unlabelled name.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startEnvoy, type RunningEnvoy } from "../../tools/envoy/envoy";
import { repoRoot } from "../../tools/envoy/locate";
import { startSimulator, type Simulator } from "../../tools/simulator/server";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { envoyBin, send } from "../e2e/support";
import { envoyYamlPluginConfig, examplesDir, renderEnvoyYaml } from "../support/examples";
import { schemeBootstrap } from "../e2e/schemes/support";

// examples/simulator-seed.json: the example's service, and a second one with its own key
const A = { id: "2555417800005", host: "api.example.com", key: "key-production" };
const B = { id: "2555417800003", host: "b.example.com", key: "key-in-header", token: "service-token-key" };

it("docs/deployment.md §8 shows the stats_config of examples/production/envoy.yaml", () => {
  const doc = readFileSync(resolve(repoRoot, "docs/deployment.md"), "utf8");
  const block = /^## 8\. Prometheus labels\n[\s\S]*?```yaml\n([\s\S]*?)```/m.exec(doc)?.[1];
  expect(block).toBeDefined();
  const ports = { LISTENER_PORT: 0, ADMIN_PORT: 0, APP_PORT: 0, BACKEND_PORT: 0, WASM_FILE: "/x.wasm" };
  expect(parse(block ?? "")).toEqual({ stats_config: renderEnvoyYaml("production", ports).stats_config });
});

interface Series { name: string; labels: Record<string, string>; value: number }

/** the sample lines of a Prometheus text exposition */
function parsePrometheus(text: string): Series[] {
  return text.split("\n").filter((l) => l && !l.startsWith("#")).map((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    return { name: m[1], labels, value: Number(m[3]) };
  });
}

describe.skipIf(!envoyBin)("Prometheus labels (examples/production/envoy.yaml stats_tags)", () => {
  let simulator: Simulator;
  let upstream: Upstream;
  let envoy: RunningEnvoy;
  let series: Series[] = [];
  /** the module's request and per-service lines as Envoy wrote them, for the report on failure */
  let lines: string[] = [];
  const value = (name: string, labels: Record<string, string>) =>
    series.filter((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(Object.fromEntries(Object.entries(labels).sort())));

  beforeAll(async () => {
    simulator = await startSimulator({ seed: resolve(examplesDir, "simulator-seed.json") });
    upstream = await startUpstream();
    const bootstrap = schemeBootstrap("production", "envoy.yaml", { app: upstream.port, backend: simulator.port });
    withSecondService(bootstrap.standalone);
    envoy = await startEnvoy({ bin: envoyBin, bootstrap });
    const call = (host: string, headers: Record<string, string>) => send(envoy, "/", { host, ...headers });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(A.host, { "x-api-key": A.key })).status); // 1 authrep (2xx), then the cache
    for (const key of ["key-unknown-1", "key-unknown-2"]) statuses.push((await call(A.host, { "x-api-key": key })).status); // 2 authreps, 403 → 4xx
    statuses.push((await call(A.host, {})).status); // no key: no authrep
    for (let i = 0; i < 2; i++) statuses.push((await call(B.host, { "x-api-key": B.key })).status); // 1 authrep (2xx), then the cache
    statuses.push((await call(B.host, { "x-api-key": "key-unknown-3" })).status); // 1 authrep, 403 → 4xx
    statuses.push((await call("nowhere.example.com", { "x-api-key": A.key })).status); // no service: counted globally only
    expect(statuses).toEqual([200, 200, 200, 403, 403, 403, 200, 200, 403, 403]);
    const text = await envoy.admin("/stats/prometheus");
    lines = text.split("\n").filter((l) => l.startsWith("authrep_wasm_requests") || l.startsWith("authrep_wasm_service_"));
    series = parsePrometheus(text).map((s) => ({ ...s, labels: Object.fromEntries(Object.entries(s.labels).sort()) }));
  }, 60_000);
  afterAll(async () => {
    await envoy?.stop();
    await upstream?.stop();
    await simulator?.close();
  });

  const only = (name: string, labels: Record<string, string>) => value(name, labels).map((s) => s.value);

  it.each([
    ["allowed", { decision: "allowed" }, 5],
    ["denied by the backend", { decision: "denied", reason: "auth_failed" }, 3],
    ["denied without credentials", { decision: "denied", reason: "credentials_missing" }, 1],
    ["denied before a service was selected", { decision: "denied", reason: "unknown_service" }, 1],
    ["denied for a limit (none happened)", { decision: "denied", reason: "limits_exceeded" }, 0],
  ])("authrep_wasm_requests (all services): %s", (_, labels, count) => {
    expect(only("authrep_wasm_requests", labels), lines.join("\n")).toEqual([count]);
  });

  it.each([
    [A.id, { decision: "allowed" }, 3], [A.id, { decision: "denied", reason: "auth_failed" }, 2],
    [A.id, { decision: "denied", reason: "credentials_missing" }, 1],
    [B.id, { decision: "allowed" }, 2], [B.id, { decision: "denied", reason: "auth_failed" }, 1],
    [B.id, { decision: "denied", reason: "credentials_missing" }, 0],
  ])("authrep_wasm_service_requests{service=%s} %j", (service, labels, count) => {
    expect(only("authrep_wasm_service_requests", { ...labels, service }), lines.join("\n")).toEqual([count]);
  });

  it.each([["2xx", 2, 1, 1], ["4xx", 3, 2, 1], ["5xx", 0, 0, 0]] as const)("backend status %s: in all, and per service", (statusClass, all, a, b) => {
    expect(only("authrep_wasm_backend_status", { status_class: statusClass })).toEqual([all]);
    expect(only("authrep_wasm_service_backend_status", { service: A.id, status_class: statusClass })).toEqual([a]);
    expect(only("authrep_wasm_service_backend_status", { service: B.id, status_class: statusClass })).toEqual([b]);
  });

  it("leaves no module counter under an unlabelled name; only per-service series carry a service", () => {
    const module = series.filter((s) => s.name.startsWith("authrep_wasm_"));
    expect(module.filter((s) => /^authrep_wasm_(service_)?(requests|backend_status)_|^authrep_wasm_service_\d/.test(s.name))).toEqual([]);
    expect(new Set(module.filter((s) => s.labels.service !== undefined).map((s) => s.name)))
      .toEqual(new Set(["authrep_wasm_service_requests", "authrep_wasm_service_backend_status"]));
    expect(new Set(module.map((s) => s.labels.service).filter((s) => s !== undefined))).toEqual(new Set([A.id, B.id]));
    // reasons that precede service selection have no per-service series
    expect(module.filter((s) => s.labels.service !== undefined && ["unknown_service", "not_configured"].includes(s.labels.reason))).toEqual([]);
    expect(only("authrep_wasm_backend_calls", {})).toEqual([5]);
  });
});

/** the example's configuration with service B (its own authority) in front of the example's, now on A.host only */
function withSecondService(bootstrap: any): void {
  const hcm = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  const wasm = hcm.http_filters.find((f: any) => f.name === "envoy.filters.http.wasm");
  const config = envoyYamlPluginConfig(bootstrap) as any;
  const [a] = config.services;
  expect(a.id).toBe(A.id);
  config.services = [
    { ...a, id: B.id, token: B.token, authorities: [B.host], credentials: { user_key: [{ header: { keys: ["x-api-key"] } }] } },
    { ...a, authorities: [A.host] },
  ];
  wasm.typed_config.config.configuration.value = JSON.stringify(config);
}
