// Benchmark entry point (`npm run bench`): runs each section, prints its table and writes
// bench/results/<timestamp>.json (rewritten after every section). Add a section to `sections`.
//
//   --only cost,overhead,cache,rate,memory,pinned,profile   sections to run (default: all, in this order)
//   --target authrep|fixture|noop            the "overhead" (no cache) section's filter
//   --connections 10 --duration 8 --warmup 3 --rounds 3   "overhead", "cache" and "pinned" load
//   --cache '{"authorization_ttl":10,…}'|off backend.cache for cache/rate/memory; "off" runs them
//                                            without it (a module that does not take it yet)
//   --users 5                                distinct user keys in cache/rate/memory (1–8)
//   --rate 500 --rate-duration 20 --rate-connections 50   "rate": R and 2R req/s, seconds per phase
//   --requests 1000000 --page-tolerance 4    "memory": requests sent, growth still flat
//   --profile-requests 20000                 "profile": requests profiled per variant
//   --rules 1000                             "memory": realistic mapping rules configured
//   --out bench/results                      where the JSON goes
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { locateEnvoy } from "../tools/envoy/locate";
import { backendCallsVsRate, memoryOverRequests } from "./cache-sections";
import { envoyOverhead } from "./envoy-overhead";
import { filterCost } from "./filter-cost";
import { pinnedCpu } from "./pinned";
import { moduleProfile } from "./profile";
import { cpuBusy } from "./envoy-stats";
import { printSection, writeResults, type SectionResult } from "./report";
import { authrepTarget, DEFAULT_CACHE, targets, type CacheConfig } from "./targets";

const { values: args } = parseArgs({
  options: {
    only: { type: "string", default: "cost,overhead,cache,rate,memory,pinned,profile" },
    target: { type: "string", default: "authrep" },
    connections: { type: "string", default: "10" },
    duration: { type: "string", default: "8" },
    warmup: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
    cache: { type: "string", default: JSON.stringify(DEFAULT_CACHE) },
    users: { type: "string", default: "5" },
    rate: { type: "string", default: "500" },
    // two cycles of the default 10 s TTL / report interval per phase: call counts come in rounds
    "rate-duration": { type: "string", default: "20" },
    // autocannon's rate limit lets each connection send its share of the second back to back,
    // then pause: with few connections a slow (no-cache) filter cannot reach 2R
    "rate-connections": { type: "string", default: "50" },
    requests: { type: "string", default: "1000000" },
    "profile-requests": { type: "string", default: "20000" },
    "page-tolerance": { type: "string", default: "4" },
    rules: { type: "string", default: "1000" },
    out: { type: "string" },
  },
});

const num = (name: keyof typeof args): number => {
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number, got ${args[name]}`);
  return n;
};

if (!locateEnvoy()) throw new Error("Envoy not found; run scripts/ensure-envoy.sh");
const makeTarget = targets[args.target!];
if (!makeTarget) throw new Error(`unknown --target ${args.target}; known: ${Object.keys(targets).join(", ")}`);
const cache: CacheConfig | undefined = args.cache === "off" ? undefined : (JSON.parse(args.cache!) as CacheConfig);
const common = { connections: num("connections"), warmupS: num("warmup"), users: num("users"), cache };

const sections: Record<string, () => Promise<SectionResult>> = {
  // rule scaling: the module's own cost per request for 10, 100, 1,000 rules
  cost: filterCost,
  // Envoy + filter without cache (one synchronous authrep per request) vs Envoy alone
  overhead: async () =>
    envoyOverhead({ target: await makeTarget(), connections: common.connections, durationS: num("duration"), warmupS: common.warmupS, rounds: num("rounds") }),
  // the same with the cache on and warm, several user keys, against the targets
  cache: async () =>
    envoyOverhead({
      label: cache ? "Cache warm" : "Cache warm — CACHE NOT CONFIGURED (--cache off)",
      target: await authrepTarget({ cache, users: common.users }),
      connections: common.connections,
      durationS: num("duration"),
      warmupS: common.warmupS,
      rounds: num("rounds"),
      goals: { minRpsRatio: 0.9, maxAddedP99Ms: 0.5 },
    }),
  rate: () => backendCallsVsRate({ ...common, connections: num("rate-connections"), rate: num("rate"), durationS: num("rate-duration") }),
  memory: () => memoryOverRequests({ ...common, requests: num("requests"), tolerancePages: num("page-tolerance"), rules: num("rules") }),
  // Envoy CPU per request, one worker pinned to a core, wrk on the other: what each filter adds
  pinned: () => pinnedCpu({ connections: common.connections, durationS: num("duration"), warmupS: common.warmupS, rounds: num("rounds") }),
  // where the module's own time goes, by area (V8's profiler on the in-process host)
  profile: () => moduleProfile(num("profile-requests")),
};

const only = args.only!.split(",").map((s) => s.trim()).filter(Boolean);
const unknown = only.filter((name) => !(name in sections));
if (unknown.length) throw new Error(`unknown --only ${unknown.join(",")}; known: ${Object.keys(sections).join(",")}`);

const startedAt = new Date();
const results: SectionResult[] = [];
let file = "";
// Other work on the machine skews every number here. Between sections the bench itself is idle
// (its Envoys and servers are stopped), so the CPU busy then is somebody else's.
for (const name of Object.keys(sections).filter((n) => only.includes(n))) {
  const othersBusy = await cpuBusy(1000);
  if (othersBusy !== undefined && othersBusy > 0.2) {
    console.warn(`\n${name}: the CPUs were ${Math.round(othersBusy * 100)} % busy with other work just before this section: its numbers will be skewed`);
  }
  const result = await sections[name]();
  printSection(result);
  results.push({ section: name, machine: { othersCpuBusyBefore: othersBusy, loadavgAfter: loadavg().map((x) => Number(x.toFixed(2))) }, ...result });
  file = writeResults(results, { dir: args.out, startedAt, options: args });
}
console.log(`\nwritten ${file}`);
