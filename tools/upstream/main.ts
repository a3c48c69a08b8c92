// Runs the test upstream (an echo app) as its own process: the benchmark keeps it off the load
// generator's event loop, and examples/README.md starts it for a standalone Envoy.
//   npx tsx tools/upstream/main.ts [--port N]   (default: a free port)
// Prints `{"port":N}` once listening; stops on SIGTERM or SIGINT.
import { parseArgs } from "node:util";
import { startUpstream } from "./upstream";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
const upstream = await startUpstream(Number(values.port));
process.stdout.write(JSON.stringify({ port: upstream.port }) + "\n");
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void upstream.stop().then(() => process.exit(0)));
