// Runs tools/upstream in a child process so the echo server does not share the load
// generator's event loop.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { repoRoot } from "../tools/envoy/locate";

export interface ChildServer {
  port: number;
  stop(): Promise<void>;
}

export async function spawnUpstream(): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "tools/upstream/main.ts"], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", (line) => resolve(JSON.parse(line).port));
    child.once("exit", (code) => reject(new Error(`upstream process exited (${code}) before listening`)));
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
