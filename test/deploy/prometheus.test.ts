// The stats_tags recipe of examples/production/envoy.yaml in a real Envoy: after known traffic,
// /stats/prometheus has the module's counters as labelled series (decision, reason, status class,
// service) with the right values, and none of them left under its unlabelled name.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startEnvoy, type RunningEnvoy } from "../../tools/envoy/envoy";
import { repoRoot } from "../../tools/envoy/locate";
import { startSimulator, type Simulator } from "../../tools/simulator/server";
import { startUpstream, type Upstream } from "../../tools/upstream/upstream";
import { envoyBin, send } from "../e2e/harness";
import { examplesDir, renderEnvoyYaml } from "../e2e/schemes/examples";
import { schemeBootstrap } from "../e2e/schemes/stack";

const SERVICE = "2555417800005"; // the example's service id and its fixed `service` label
const KEY = "key-production"; // examples/simulator-seed.json

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
  const value = (name: string, labels: Record<string, string>) =>
    series.filter((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(Object.fromEntries(Object.entries(labels).sort())));

  beforeAll(async () => {
    simulator = await startSimulator({ seed: resolve(examplesDir, "simulator-seed.json") });
    upstream = await startUpstream();
    envoy = await startEnvoy({ bin: envoyBin, bootstrap: schemeBootstrap("production", "envoy.yaml", { app: upstream.port, backend: simulator.port }) });
    const call = (headers: Record<string, string>) => send(envoy, "/", { host: "api.example.com", ...headers });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call({ "x-api-key": KEY })).status); // 1 authrep (2xx), then the cache
    for (const key of ["key-unknown-1", "key-unknown-2"]) statuses.push((await call({ "x-api-key": key })).status); // 2 authreps, 403 → 4xx
    statuses.push((await call({})).status); // no key: no authrep
    expect(statuses).toEqual([200, 200, 200, 403, 403, 403]);
    const text = await envoy.admin("/stats/prometheus");
    series = parsePrometheus(text).map((s) => ({ ...s, labels: Object.fromEntries(Object.entries(s.labels).sort()) }));
  }, 60_000);
  afterAll(async () => {
    await envoy?.stop();
    await upstream?.stop();
    await simulator?.close();
  });

  it.each([
    ["allowed", { decision: "allowed" }, 3],
    ["denied by the backend", { decision: "denied", reason: "auth_failed" }, 2],
    ["denied without credentials", { decision: "denied", reason: "credentials_missing" }, 1],
    ["denied for a limit (none happened)", { decision: "denied", reason: "limits_exceeded" }, 0],
  ])("authrep_wasm_requests: %s", (_, labels, count) => {
    expect(value("authrep_wasm_requests", { ...labels, service: SERVICE }).map((s) => s.value)).toEqual([count]);
  });

  it.each([["2xx", 1], ["4xx", 2], ["5xx", 0]] as const)("authrep_wasm_backend_status{status_class=%s}", (statusClass, count) => {
    expect(value("authrep_wasm_backend_status", { service: SERVICE, status_class: statusClass }).map((s) => s.value)).toEqual([count]);
  });

  it("leaves no module counter under an unlabelled name; the others get the service label too", () => {
    const module = series.filter((s) => s.name.startsWith("authrep_wasm_"));
    expect(module.filter((s) => /^authrep_wasm_(requests|backend_status)_/.test(s.name))).toEqual([]);
    expect(module.filter((s) => s.labels.service !== SERVICE)).toEqual([]);
    expect(value("authrep_wasm_backend_calls", { service: SERVICE }).map((s) => s.value)).toEqual([3]);
  });
});
