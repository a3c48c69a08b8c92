// Runs the test upstream as its own process (the benchmark keeps it off the load generator's
// event loop). Prints `{"port":N}` once listening; stops on SIGTERM.
import { startUpstream } from "./upstream";

const upstream = await startUpstream();
process.stdout.write(JSON.stringify({ port: upstream.port }) + "\n");
process.once("SIGTERM", () => void upstream.stop().then(() => process.exit(0)));
