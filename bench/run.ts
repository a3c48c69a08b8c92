// Benchmark entry point (`npm run bench`): runs each section, prints its table and writes
// bench/results/<timestamp>.json. Add a section by appending to `sections`.
import { parseArgs } from "node:util";
import { locateEnvoy } from "../tools/envoy/locate";
import { envoyOverhead } from "./envoy-overhead";
import { filterCost } from "./filter-cost";
import { printSection, writeResults, type SectionResult } from "./report";
import { targets } from "./targets";

const { values: args } = parseArgs({
  options: {
    target: { type: "string", default: "authrep" },
    connections: { type: "string", default: "10" },
    duration: { type: "string", default: "8" },
    warmup: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
  },
});

if (!locateEnvoy()) throw new Error("Envoy not found; run scripts/ensure-envoy.sh");
const makeTarget = targets[args.target];
if (!makeTarget) throw new Error(`unknown --target ${args.target}; known: ${Object.keys(targets).join(", ")}`);

const sections: (() => Promise<SectionResult>)[] = [
  filterCost,
  async () =>
    envoyOverhead({
      target: await makeTarget(),
      connections: Number(args.connections),
      durationS: Number(args.duration),
      warmupS: Number(args.warmup),
      rounds: Number(args.rounds),
    }),
];

const results: SectionResult[] = [];
for (const section of sections) {
  const result = await section();
  printSection(result);
  results.push(result);
}
console.log(`\nwritten ${writeResults(results)}`);
