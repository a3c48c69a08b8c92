// Runs a server script (the echo upstream, the 3scale simulator) in a child process so it does
// not share the load generator's event loop. The script announces itself on its first line.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { repoRoot } from "../tools/envoy/locate";

export interface ChildServer {
  port: number;
  stop(): Promise<void>;
}

async function spawnServer(args: string[], portFromFirstLine: (line: string) => number): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve(portFromFirstLine(line)));
    child.once("exit", (code) => reject(new Error(`${args[0]} exited (${code}) before listening`)));
  });
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** tools/upstream: prints `{"port":N}` */
export function spawnUpstream(): Promise<ChildServer> {
  return spawnServer(["tools/upstream/main.ts"], (line) => JSON.parse(line).port);
}

/** tools/simulator: prints its base URL */
export function spawnSimulator(seedFile: string): Promise<ChildServer> {
  return spawnServer(["tools/simulator/cli.ts", "--seed", seedFile], (line) => Number(new URL(line).port));
}
