// Section "filter cost": the module's own work per request, in the in-process host, for 10,
// 100 and 1,000 mapping rules. Pass-through mode runs the whole pipeline (URL, service,
// credentials, every rule) without a backend call; the baseline is a request the module turns
// away at service selection, so the difference is the pipeline's cost, host overhead removed.
// The request matches only the last rule: the worst case for a rule scan. A last row does the
// same for a cached hit (`backend.cache` on and warm, 10 rules): the authrep call and its
// transaction key are built, the cache is read and the usage table written, no call is made.
import { resolve } from "node:path";
import { ProxyWasmHost } from "../tools/host";
import { repoRoot } from "../tools/envoy/locate";
import type { Header } from "../tools/host/types";
import type { SectionResult } from "./report";

const RULE_COUNTS = [10, 100, 1000];
const REQUESTS = 4000;

function pluginConfig(rules: number, cached = false): string {
  return JSON.stringify({
    api: "v1",
    backend: { upstream: { name: "backend", url: "https://su1.3scale.net/" }, ...(cached ? { cache: { report_interval: 3600, authorization_ttl: 3600 } } : {}) },
    passthrough_metadata: !cached,
    services: [{
      id: "1", token: "t", authorities: ["api.example.com"],
      credentials: { user_key: [{ query_string: { keys: ["user_key"] } }, { header: { keys: ["x-api-key"] } }] },
      mapping_rules: Array.from({ length: rules }, (_, i) => ({ method: "GET", pattern: `/resource${i}/{id}/items`, usages: [{ name: `m${i % 7}`, delta: 1 }] })),
    }],
  });
}

const headers = (authority: string, rules: number): Header[] => [
  [":authority", authority], [":path", `/resource${rules - 1}/42/items?user_key=abc123&page=2`], [":method", "GET"], [":scheme", "https"],
  ["user-agent", "bench"], ["accept", "*/*"], ["x-request-id", "7d8f5a0e-1b2c-4d3e-8f9a-0b1c2d3e4f5a"],
];

async function microsPerRequest(host: ProxyWasmHost, h: Header[]): Promise<number> {
  for (let i = 0; i < 500; i++) await host.request({ headers: h }); // warm-up (JIT, allocator)
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) await host.request({ headers: h });
  return Number(process.hrtime.bigint() - start) / 1000 / REQUESTS;
}

/** the cached-hit row's rule count */
const CACHED_RULES = 10;

export async function filterCost(): Promise<SectionResult> {
  const rows: Record<string, string | number>[] = [];
  const data: { rules: number; cached: boolean; pipelineUs: number; baselineUs: number; costUs: number; memoryPages: number }[] = [];
  const variants = [...RULE_COUNTS.map((rules) => ({ rules, cached: false })), { rules: CACHED_RULES, cached: true }];
  for (const { rules, cached } of variants) {
    // the backend allows every key without a limit: after the first request every one is a hit
    const host = await ProxyWasmHost.create({ wasm: resolve(repoRoot, "build/authrep.wasm"), logLevel: "warn", clusters: { backend: () => ({ status: 200 }) } });
    const configured = await host.configure(pluginConfig(rules, cached));
    if (!configured.accepted) throw new Error(`bench configuration rejected: ${configured.error}`);
    // alternate baseline and pipeline three times so drift hits both; keep the best of each
    const baseline: number[] = [];
    const pipeline: number[] = [];
    for (let round = 0; round < 3; round++) {
      baseline.push(await microsPerRequest(host, headers("other.example.com", rules)));
      pipeline.push(await microsPerRequest(host, headers("api.example.com", rules)));
    }
    const b = Math.min(...baseline);
    const p = Math.min(...pipeline);
    if (cached && host.calls.length !== 1) throw new Error(`cached-hit row: ${host.calls.length} backend calls, expected 1 (not all hits)`);
    const memoryPages = host.instances[0].memory.pages;
    await host.close();
    data.push({ rules, cached, pipelineUs: p, baselineUs: b, costUs: p - b, memoryPages });
  }
  const base = data[0].costUs;
  for (const d of data) {
    rows.push({ rules: d.cached ? `${d.rules}, cached hit` : d.rules, "request µs": d.pipelineUs.toFixed(1), "baseline µs": d.baselineUs.toFixed(1), "filter cost µs": d.costUs.toFixed(1), "vs 10 rules": `×${(d.costUs / base).toFixed(2)}`, "wasm pages": d.memoryPages });
  }
  return { title: `Filter cost per request in the in-process host (${REQUESTS} requests, request matches the last rule; pass-through, and a cached hit)`, rows, data };
}
