// Starts a real Envoy for e2e tests and benchmarks (envoy-e2e.md §3): own temp dir, admin and
// listener on port 0 (discovered), captured output, stats, and a bounded stop.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ACCESS_LOG_PREFIX, buildBootstrap, LISTENER_NAME, type BootstrapOptions } from "./bootstrap";
import { locateEnvoy, repoRoot } from "./locate";

export interface StartEnvoyOptions {
  bootstrap: BootstrapOptions;
  /** default: locateEnvoy() */
  bin?: string;
  /** worker threads; default 2 (each worker gets its own Wasm VM) */
  concurrency?: number;
  /** default "warn" */
  logLevel?: string;
  /** default "wasm:debug" so proxy_log output is visible; pass "" to leave components alone */
  componentLogLevel?: string;
  /** default 30 s */
  startupTimeoutMs?: number;
}

export interface AccessLogEntry {
  code: number;
  details: string;
  path: string;
}

export interface RunningEnvoy {
  pid: number;
  /** listener port and base URL */
  port: number;
  url: string;
  adminUrl: string;
  stdout(): string;
  stderr(): string;
  accessLog(): AccessLogEntry[];
  /** resolves with the first line of `stream` matching `re` (polls; rejects after timeoutMs) */
  waitForLine(stream: "stdout" | "stderr", re: RegExp, timeoutMs?: number): Promise<string>;
  /** numeric stats whose name matches the regex (admin `/stats?filter=`) */
  stats(filter?: string): Promise<Record<string, number>>;
  /** GET an admin path, returns the body text */
  admin(path: string): Promise<string>;
  stop(): Promise<void>;
}

/** Envoy exited (or never became ready) during startup; `stderr` explains why. */
export class EnvoyStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    super(`${message}\n--- envoy stderr ---\n${stderr.slice(-4000)}`);
  }
}

// Envoys must not outlive a crashed test process.
const running = new Set<number>();
process.once("exit", () =>
  running.forEach((pid) => {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }),
);

async function getText(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

function listenerPort(listenersJson: string): number {
  const info = JSON.parse(listenersJson) as {
    listener_statuses: { name: string; local_address: { socket_address: { port_value: number } } }[];
  };
  const ingress = info.listener_statuses.find((l) => l.name === LISTENER_NAME);
  if (!ingress) throw new Error(`listener ${LISTENER_NAME} missing in /listeners: ${listenersJson}`);
  return ingress.local_address.socket_address.port_value;
}

export function parseAccessLog(stdout: string): AccessLogEntry[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith(ACCESS_LOG_PREFIX))
    .map((line) => {
      const [code, details, path] = line.slice(ACCESS_LOG_PREFIX.length).split(" ");
      return { code: Number(code), details, path };
    });
}

export function parseStats(text: string): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const sep = line.lastIndexOf(": ");
    const value = line.slice(sep + 2);
    if (sep > 0 && /^\d+$/.test(value)) stats[line.slice(0, sep)] = Number(value);
  }
  return stats;
}

export async function startEnvoy(opts: StartEnvoyOptions): Promise<RunningEnvoy> {
  const bin = opts.bin ?? locateEnvoy();
  if (!bin) throw new Error("Envoy binary not found; run scripts/ensure-envoy.sh");
  const dir = mkdtempSync(join(tmpdir(), "envoy-"));
  const configFile = join(dir, "bootstrap.json");
  const adminFile = join(dir, "admin.txt");
  writeFileSync(configFile, JSON.stringify(buildBootstrap(opts.bootstrap), null, 2));
  const componentLogLevel = opts.componentLogLevel ?? "wasm:debug";
  const args = [
    "-c", configFile,
    "--concurrency", String(opts.concurrency ?? 2),
    "--disable-hot-restart", // several Envoys run in parallel (vitest workers)
    "--admin-address-path", adminFile,
    "--log-level", opts.logLevel ?? "warn",
    ...(componentLogLevel ? ["--component-log-level", componentLogLevel] : []),
    "--file-flush-interval-msec", "50", // access log lines show up promptly (default 10 s)
  ];
  const child = spawn(bin, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  await once(child, "spawn"); // rejects if the binary cannot be executed
  const pid = child.pid!;
  running.add(pid);
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
  // "close" comes after exit and after the last output chunk
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  child.once("exit", () => running.delete(pid));

  const stop = async () => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.kill("SIGTERM"); // a no-op once it has exited
    await closed;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };

  const adminUrl = await waitUntilReady(child, closed, adminFile, opts.startupTimeoutMs ?? 30_000, () => err).catch(
    async (e: unknown) => {
      await stop();
      throw e;
    },
  );
  const port = listenerPort((await getText(`${adminUrl}/listeners?format=json`)).body);

  const admin = async (path: string) => (await getText(adminUrl + path)).body;
  return {
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    adminUrl,
    stdout: () => out,
    stderr: () => err,
    accessLog: () => parseAccessLog(out),
    waitForLine: async (stream, re, timeoutMs = 5000) => {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
        const line = (stream === "stdout" ? out : err).split("\n").find((l) => re.test(l));
        if (line !== undefined) return line;
      }
      throw new Error(`no ${stream} line matching ${re} within ${timeoutMs} ms`);
    },
    stats: async (filter = "") => parseStats(await admin(`/stats?filter=${encodeURIComponent(filter)}`)),
    admin,
    stop,
  };
}

async function waitUntilReady(
  child: ReturnType<typeof spawn>,
  closed: Promise<void>,
  adminFile: string,
  timeoutMs: number,
  stderr: () => string,
): Promise<string> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await closed;
      throw new EnvoyStartError(`envoy exited during startup (code ${child.exitCode}, signal ${child.signalCode})`, child.exitCode, child.signalCode, stderr());
    }
    let address = "";
    try {
      address = readFileSync(adminFile, "utf8").trim();
    } catch {
      continue; // not written until the admin listener is bound
    }
    if (!address) continue;
    const ready = await getText(`http://${address}/ready`).catch(() => undefined);
    if (ready?.status === 200 && ready.body.trim() === "LIVE") return `http://${address}`;
  }
  throw new EnvoyStartError(`envoy not ready within ${timeoutMs} ms`, null, null, stderr());
}
