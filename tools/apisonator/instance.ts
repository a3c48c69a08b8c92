// One running Apisonator: either started from the kit (Redis, listener and worker on free
// ports, a temporary run dir, stopped and removed by `stop`) or the one at APISONATOR_URL
// (left running: `stop` does nothing).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { ApisonatorSource } from "./locate";
import { processControl, type ProcessControl } from "./restart";

const run = promisify(execFile);

export interface Apisonator {
  /** http://127.0.0.1:PORT, no trailing slash */
  url: string;
  port: number;
  /** the kit's run dir (logs), undefined for APISONATOR_URL */
  runDir?: string;
  /** the listener's and worker's logs, for failure messages (empty for APISONATOR_URL) */
  logs(): string;
  /** kit instances only: stopping and restarting the listener and the worker, Redis kept */
  processes?: ProcessControl;
  stop(): Promise<void>;
}

export async function startApisonator(source: ApisonatorSource): Promise<Apisonator> {
  if (source.kind === "url") {
    return { url: source.url, port: Number(new URL(source.url).port || 80), logs: () => "", stop: async () => {} };
  }
  const runDir = mkdtempSync(join(tmpdir(), "apisonator-"));
  const [port, redisPort] = await freePorts(2);
  const stop = async () => {
    await run(resolve(source.dir, "stop.sh"), [runDir], { timeout: 60_000 }).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    // start.sh runs the (idempotent) setup.sh first: about a minute on a machine that never ran it
    await run(resolve(source.dir, "start.sh"), [runDir, String(port), String(redisPort)], { timeout: 240_000 });
  } catch (error) {
    const logs = readLogs(runDir);
    await stop();
    throw new Error(`Apisonator did not start: ${(error as Error).message}\n${logs}`);
  }
  return { url: `http://127.0.0.1:${port}`, port, runDir, logs: () => readLogs(runDir), processes: processControl(runDir, port), stop };
}

function readLogs(runDir: string): string {
  return ["listener.log", "worker.log"].map((name) => {
    try {
      return `--- ${name}\n${readFileSync(join(runDir, name), "utf8").slice(-4000)}`;
    } catch {
      return "";
    }
  }).join("\n");
}

/** Ports free right now (all held open together, so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  })));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}
