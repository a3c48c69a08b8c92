// Stops and restarts the listener and the worker of a running kit instance while its Redis keeps
// running, so services, applications, counters and queued jobs survive: the backend going away
// under load and coming back, as in a restart or a rolling update. The processes are started again as the kit's start.sh
// starts them (same command lines, port and run dir), with the environment and working directory
// the running ones were given, read from /proc before they are stopped (Linux, as the kit).
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** How a stopped listener and worker are started again. */
interface Launch {
  cwd: string;
  env: Record<string, string>;
}

export interface ProcessControl {
  /** TERMs the worker and the listener (puma finishes the requests it has) and waits until both exited. */
  stop(): Promise<void>;
  /** Starts them again; resolves once the listener answers. */
  start(): Promise<void>;
}

export function processControl(runDir: string, port: number): ProcessControl {
  const pidFile = (name: string) => join(runDir, `${name}.pid`);
  let launch: Launch | undefined;

  const stop = async () => {
    const pids = ["worker", "listener"].map((name) => Number(readFileSync(pidFile(name), "utf8").trim()));
    launch = launchOf(pids[1]!);
    for (const pid of pids) signal(pid, "SIGTERM");
    for (const pid of pids) {
      if (await exited(pid, 15_000)) continue;
      signal(pid, "SIGKILL");
      await exited(pid, 5_000);
    }
  };

  const start = async () => {
    if (!launch) throw new Error("Apisonator: start() before stop()");
    const { cwd, env } = launch;
    // the command lines of the kit's start.sh: puma from the kit's vendored copy, one process
    const puma = join(dirname(env.RUBYLIB!.split(":").find((p) => p.endsWith("/puma/lib"))!), "bin/puma");
    detached(["ruby", puma, "--bind", `tcp://127.0.0.1:${port}`, "--dir", cwd, "-C", "config/puma.rb", "-w", "0", "-t", "1:4",
      "--pidfile", pidFile("listener")], launch, join(runDir, "listener.log"));
    const worker = detached(["ruby", "bin/3scale_backend_worker", "--debug"], launch, join(runDir, "worker.log"));
    writeFileSync(pidFile("worker"), `${worker}\n`);
    for (const deadline = Date.now() + 60_000; !(await answers(port));) {
      if (Date.now() > deadline) throw new Error(`Apisonator listener not answering on ${port} 60 s after its restart; see ${runDir}/listener.log`);
      await sleep(200);
    }
  };

  return { stop, start };
}

/** The environment and working directory of a running kit process. */
function launchOf(pid: number): Launch {
  const env = Object.fromEntries(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((kv) => {
    const at = kv.indexOf("=");
    return [kv.slice(0, at), kv.slice(at + 1)];
  }));
  if (!env.RUBYLIB?.includes("/puma/lib") || !env.CONFIG_REDIS_PROXY) throw new Error(`process ${pid} does not look like the kit's listener`);
  return { cwd: readlinkSync(`/proc/${pid}/cwd`), env };
}

/** Spawns a process that outlives this one (as start.sh's background jobs), output appended to `log`. */
function detached(argv: string[], { cwd, env }: Launch, log: string): number {
  const fd = openSync(log, "a");
  try {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true, stdio: ["ignore", fd, fd] });
    child.unref();
    return child.pid!;
  } finally {
    closeSync(fd);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) if (!alive(pid)) return true;
  return false;
}

/** Running (a zombie, exited but not yet reaped by its parent, is not). */
function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.startsWith("Z");
  } catch {
    return false;
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    if (!(await fetch(`http://127.0.0.1:${port}/internal/status`)).ok) return false;
    // the first transaction call after a start loads its code and connections (seconds on a busy
    // machine): made here, so "answering" means an authrep is answered at once, not the status page
    return (await fetch(`http://127.0.0.1:${port}/transactions/authrep.xml?service_id=restart-probe&user_key=-`)).status < 500;
  } catch {
    return false;
  }
}
