// Runs the simulator standalone:
//   npx tsx tools/simulator/cli.ts [--port 0] [--host 127.0.0.1] [--seed file.json] [--now 2024-05-15T10:00:00Z]
// The first line on stdout is the base URL; it runs until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startSimulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string" },
    now: { type: "string" },
  },
});

const sim = await startSimulator({ port: Number(values.port), host: values.host, seed: values.seed, now: values.now });
console.log(sim.url);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
