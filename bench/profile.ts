// Section "profile": where the module's time goes, by area of assembly/. The release build is
// rebuilt with a name section (`--debug` keeps the names, not the optimisation level) and run in
// the in-process host (Node's V8, the engine Envoy embeds) under V8's sampling CPU profiler, on
// the pinned section's request: a cached hit (cache warm, one key) and an authrep per request
// (the backend handler answers at once). Self time is attributed to the assembly/ folder of the
// innermost Wasm function of a sample's stack that lies in it (library code and the allocator count
// where they are called from); collections are an area of their own, and the JS host stubs are
// "host (JS)". Profiled µs are inflated and inlining blurs single functions; the shares are the point.
import { execFileSync } from "node:child_process";
import { Session } from "node:inspector/promises";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { ProxyWasmHost } from "../tools/host";
import { repoRoot } from "../tools/envoy/locate";
import type { Header } from "../tools/host/types";
import type { SectionResult } from "./report";
import { authrepConfiguration, type CacheConfig } from "./targets";

const CACHE: CacheConfig = { authorization_ttl: 3600, report_interval: 10, max_entries: 10000 };
const REQUEST: Header[] = [
  [":authority", "127.0.0.1:10000"], [":path", "/products/1?user_key=bench-user-key"], [":method", "GET"], [":scheme", "http"],
  ["user-agent", "wrk"], ["accept", "*/*"], ["x-forwarded-proto", "http"], ["x-request-id", "7d8f5a0e-1b2c-4d3e-8f9a-0b1c2d3e4f5a"],
];
const AUTHORIZED = { status: 200, headers: [["content-type", "application/vnd.3scale-v2.0+xml"]] as Header[], body: "<status><authorized>true</authorized></status>" };

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** the build with a name section and the allocation probe (tools/profile/probe.ts) */
function namedBuild(): string {
  const dir = resolve(repoRoot, "build/profile");
  mkdirSync(dir, { recursive: true });
  const out = resolve(dir, "authrep.wasm");
  execFileSync(process.execPath, [resolve(repoRoot, "node_modules/assemblyscript/bin/asc.js"), "assembly/index.ts", "tools/profile/probe.ts", "--target", "release", "--debug", "--outFile", out],
    { cwd: repoRoot, stdio: "inherit" });
  return out;
}

/**
 * the area a sample belongs to, from its stack (innermost first): anything under `__collect` is
 * GC; AssemblyScript library code (strings, arrays, the allocator) counts in the assembly/ folder
 * that called it, so allocation shows where it is caused
 */
export function areaOf(stack: { functionName: string; url: string }[]): string {
  const top = stack[0];
  if (!top.url.startsWith("wasm://")) return top.functionName === "(garbage collector)" ? "V8 (JS GC)" : "host (JS)";
  if (stack.some((f) => /__collect$/.test(f.functionName))) return "GC (collection)";
  for (const f of stack) {
    if (f.functionName.startsWith("assembly/runtime/gc/")) continue; // the allocator's counting wrappers
    const folder = /^assembly\/([a-z_]+)\//.exec(f.functionName);
    if (folder) return folder[1];
  }
  return "exports and runtime";
}

const isAllocator = (name: string) => /^~lib\/rt\/(tlsf|tcms\/__new|tcms\/__renew)|^assembly\/runtime\/gc\/counted/.test(name);

async function profiled(host: ProxyWasmHost, requests: number): Promise<{ profile: CpuProfile; wallUs: number }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 50 });
  await session.post("Profiler.start");
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) await host.request({ headers: REQUEST });
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
  session.disconnect();
  return { profile, wallUs };
}

/** self µs by area, by Wasm function, and in the allocator outside collections */
function attribute(profile: CpuProfile): { areas: Map<string, number>; functions: Map<string, number>; allocatorUs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let allocatorUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (!node || ["(idle)", "(program)", "(root)"].includes(node.callFrame.functionName)) continue;
    const stack = [node.callFrame];
    for (let id = parent.get(node.id); id !== undefined; id = parent.get(id)) stack.push(byId.get(id)!.callFrame);
    const area = areaOf(stack);
    areas.set(area, (areas.get(area) ?? 0) + dt);
    const name = node.callFrame.functionName;
    if (!node.callFrame.url.startsWith("wasm://")) continue;
    functions.set(name, (functions.get(name) ?? 0) + dt);
    if (area !== "GC (collection)" && isAllocator(name)) allocatorUs += dt;
  }
  return { areas, functions, allocatorUs };
}

async function variant(wasm: string, label: string, cache: boolean, requests: number) {
  const host = await ProxyWasmHost.create({
    wasm, logLevel: "warn", concurrency: 1,
    clusters: { "outbound|443||su1.3scale.net": () => AUTHORIZED },
  });
  const configured = await host.configure(authrepConfiguration(cache ? CACHE : undefined));
  if (!configured.accepted) throw new Error(`profile configuration rejected: ${configured.error}`);
  for (let i = 0; i < 2000; i++) {
    const r = await host.request({ headers: REQUEST });
    if (r.outcome !== "continue") throw new Error(`${label}: the bench request was not allowed (${r.outcome} ${r.details ?? ""})`);
  }
  const warm = host.calls.length;
  const probe = (name: string) => host.instances[0].call(name, undefined) ?? NaN;
  const [blocks0, bytes0] = [probe("authrep_probe_blocks"), probe("authrep_probe_bytes")];
  const { profile, wallUs } = await profiled(host, requests);
  const calls = host.calls.length - warm;
  // u32 totals that wrap: the difference modulo 2^32
  const blocks = ((probe("authrep_probe_blocks") - blocks0) >>> 0) / requests;
  const bytes = ((probe("authrep_probe_bytes") - bytes0) >>> 0) / requests;
  await host.close();
  const { areas, functions, allocatorUs } = attribute(profile);
  const wasmUs = [...areas].filter(([a]) => a !== "host (JS)" && a !== "V8 (JS GC)").reduce((s, [, us]) => s + us, 0);
  return { label, requests, wallUsPerRequest: wallUs / requests, wasmUsPerRequest: wasmUs / requests, backendCalls: calls, areas, functions, wasmUs, allocatorUs, blocks, bytes };
}

export async function moduleProfile(requests = 20000): Promise<SectionResult> {
  const wasm = namedBuild();
  const runs = [await variant(wasm, "cached hit", true, requests), await variant(wasm, "authrep per request", false, requests)];
  const areaNames = [...new Set(runs.flatMap((r) => [...r.areas.keys()]))].filter((a) => a !== "host (JS)" && a !== "V8 (JS GC)")
    .sort((a, b) => (runs[0].areas.get(b) ?? 0) - (runs[0].areas.get(a) ?? 0));
  const share = (r: (typeof runs)[number], a: string) => `${(((r.areas.get(a) ?? 0) / r.wasmUs) * 100).toFixed(0)} %`;
  const rows: Record<string, string | number>[] = [
    Object.fromEntries([["area", "Wasm µs per request (profiled)"], ...runs.map((r) => [r.label, r.wasmUsPerRequest.toFixed(1)])]),
    Object.fromEntries([["area", "blocks (bytes) allocated per request"], ...runs.map((r) => [r.label, `${r.blocks.toFixed(1)} (${r.bytes.toFixed(0)})`])]),
    ...areaNames.map((a) => Object.fromEntries([["area", a], ...runs.map((r) => [r.label, share(r, a)])])),
    Object.fromEntries([["area", "(allocation, counted in the areas above)"], ...runs.map((r) => [r.label, `${((r.allocatorUs / r.wasmUs) * 100).toFixed(0)} %`])]),
  ];
  const top = (r: (typeof runs)[number]) => [...r.functions].sort((a, b) => b[1] - a[1]).slice(0, 15)
    .map(([name, us]) => ({ name, share: Number(((us / r.wasmUs) * 100).toFixed(1)) }));
  return {
    title: `The module's Wasm time by area of assembly/ (in-process host, V8 sampling profiler, ${requests.toLocaleString("en")} requests per variant)`,
    rows,
    data: runs.map((r) => ({
      label: r.label, requests: r.requests, blocksPerRequest: r.blocks, bytesPerRequest: r.bytes, wallUsPerRequest: r.wallUsPerRequest, wasmUsPerRequest: r.wasmUsPerRequest, backendCallsProfiled: r.backendCalls,
      areas: Object.fromEntries([...r.areas].map(([a, us]) => [a, us / r.requests])), topFunctions: top(r),
    })),
  };
}
