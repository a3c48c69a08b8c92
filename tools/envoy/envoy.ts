// Starts a real Envoy for e2e tests and benchmarks (docs/deployment.md §3): own temp dir, admin and
// listener on port 0 (discovered), captured output, stats, and a bounded stop. Opt-in: the
// listener served by file-based LDS on a fixed port, so tests can reload it while Envoy runs.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ACCESS_LOG_PREFIX, buildBootstrap, buildDynamicBootstrap, LISTENER_NAME, listenersDocument, type BootstrapOptions,
} from "./bootstrap";
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
  /**
   * serve the listener through file-based LDS instead of the static bootstrap, so that
   * `updateListener` / `reconfigure` can change it while Envoy runs; default false
   */
  dynamicListener?: boolean;
  /** with `dynamicListener`: how long a replaced listener drains (`--drain-time-s`); default 2 */
  drainTimeSeconds?: number;
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
  /**
   * Only with `dynamicListener`: rewrites the listener (same name and port) from these options —
   * their clusters and `appPort` are ignored, clusters are static — and resolves once Envoy
   * serves the new version (active, not warming); rejects when Envoy refuses it.
   */
  updateListener(bootstrap: BootstrapOptions, timeoutMs?: number): Promise<void>;
  /** `updateListener` with the current options and another wasm plugin configuration */
  reconfigure(pluginConfiguration: string, timeoutMs?: number): Promise<void>;
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
  const lds = opts.dynamicListener ? await ldsFiles(dir) : undefined;
  if (lds) {
    writeFileSync(configFile, JSON.stringify(buildDynamicBootstrap(opts.bootstrap, lds.file, lds.watchedDir), null, 2));
    lds.write(opts.bootstrap);
  } else {
    writeFileSync(configFile, JSON.stringify(buildBootstrap(opts.bootstrap), null, 2));
  }
  const componentLogLevel = opts.componentLogLevel ?? "wasm:debug";
  const args = [
    "-c", configFile,
    "--concurrency", String(opts.concurrency ?? 2),
    "--disable-hot-restart", // several Envoys run in parallel (vitest workers)
    "--admin-address-path", adminFile,
    "--log-level", opts.logLevel ?? "warn",
    ...(componentLogLevel ? ["--component-log-level", componentLogLevel] : []),
    "--file-flush-interval-msec", "50", // access log lines show up promptly (default 10 s)
    // a replaced listener's connections drain this long (default 10 min) before its filter
    // chain, and with it the old plugin instance, is destroyed
    ...(lds ? ["--drain-time-s", String(opts.drainTimeSeconds ?? 2)] : []),
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
  let current = opts.bootstrap;
  const updateListener = async (bootstrap: BootstrapOptions, timeoutMs = 15_000) => {
    if (!lds) throw new Error("updateListener needs startEnvoy({ dynamicListener: true })");
    const rejected = parseStats(await admin(`/stats?filter=${encodeURIComponent("^listener_manager\\.lds\\.update_rejected$")}`));
    const version = lds.write(bootstrap);
    await waitForListenerVersion(admin, version, rejected["listener_manager.lds.update_rejected"] ?? 0, timeoutMs);
    current = bootstrap;
  };
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
    updateListener,
    reconfigure: (configuration, timeoutMs) => {
      if (!current.wasm) throw new Error("reconfigure needs a wasm filter");
      return updateListener({ ...current, wasm: { ...current.wasm, configuration } }, timeoutMs);
    },
    stop,
  };
}

/** a free loopback port, for the LDS listener, which must keep its port across reloads */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The LDS file and its writer. Envoy reloads on a file moved into the watched directory, so each
 * version is written beside it and renamed into place: Envoy never reads a half-written file.
 */
async function ldsFiles(dir: string) {
  const watchedDir = join(dir, "lds");
  mkdirSync(watchedDir);
  const file = join(watchedDir, "listeners.json");
  const port = await freePort();
  let version = 0;
  const write = (bootstrap: BootstrapOptions): number => {
    const tmp = join(dir, "listeners.json.tmp");
    writeFileSync(tmp, JSON.stringify(listenersDocument(bootstrap, port, ++version), null, 2));
    renameSync(tmp, file);
    return version;
  };
  return { file, watchedDir, write };
}

/**
 * Polls the LDS stats until Envoy took `version` (its `version_info`) and no listener is warming
 * any more, i.e. new connections get the new filter chain. (The per-listener version in
 * /config_dump stays at the first one after an in-place filter chain update, so it is no use.)
 */
async function waitForListenerVersion(
  admin: (path: string) => Promise<string>, version: number, rejectedBefore: number, timeoutMs: number,
): Promise<void> {
  let text = "";
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    text = await admin(`/stats?filter=${encodeURIComponent("^listener_manager\\.")}`);
    const stats = parseStats(text);
    if ((stats["listener_manager.lds.update_rejected"] ?? 0) > rejectedBefore) {
      throw new Error(`envoy rejected listener version ${version}; see its log`);
    }
    const versionText = /^listener_manager\.lds\.version_text: "(.*)"$/m.exec(text)?.[1];
    if (versionText === String(version) && stats["listener_manager.total_listeners_warming"] === 0) return;
  }
  throw new Error(`listener version ${version} not active within ${timeoutMs} ms:\n${text}`);
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

/** the module's metrics (`authrep_wasm.*`), keyed without that prefix; /stats may show them as `wasmcustom.authrep_wasm.*` */
export async function moduleStats(envoy: RunningEnvoy): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(await envoy.stats("authrep_wasm\\."))) {
    const short = name.replace(/^wasmcustom\./, "");
    if (short.startsWith("authrep_wasm.")) out[short.slice("authrep_wasm.".length)] = value;
  }
  return out;
}

