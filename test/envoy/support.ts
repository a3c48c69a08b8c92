// Shared setup for the real-Envoy tests: the fixture module behind Envoy in front of the echo
// upstream, plus the odd servers the http_call facts need.
import { spawn } from "node:child_process";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { startEnvoy, type RunningEnvoy, type StartEnvoyOptions } from "../../tools/envoy/envoy";
import type { FailurePolicy } from "../../tools/envoy/bootstrap";
import { envoyForTests, repoRoot } from "../../tools/envoy/locate";
import { startUpstream, type Echo, type Upstream } from "../../tools/upstream/upstream";
import { buildFixture } from "../../tools/envoy/fixture/build";

export const envoyBin = envoyForTests();

/** `npm run bench` with `args` in a child process (the bench's CI smoke tests) */
export function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface FixtureEnvoyOptions {
  configuration?: string;
  clusters?: Record<string, number>;
  httpFilters?: object[];
  failurePolicy?: FailurePolicy;
  concurrency?: number;
}

export interface FixtureEnvoy {
  envoy: RunningEnvoy;
  upstream: Upstream;
  stop(): Promise<void>;
}

// identity of the plugin as it shows up in Envoy's logs and stats
export const PLUGIN = { name: "test.fixture", rootId: "fixture-root", vmId: "fixture-vm" };

let wasmFile: Promise<string> | undefined;

export async function startFixtureEnvoy(o: FixtureEnvoyOptions = {}): Promise<FixtureEnvoy> {
  wasmFile ??= buildFixture();
  const upstream = await startUpstream();
  const opts: StartEnvoyOptions = {
    concurrency: o.concurrency,
    bootstrap: {
      appPort: upstream.port,
      clusters: o.clusters,
      httpFilters: o.httpFilters,
      wasm: { wasmFile: await wasmFile, configuration: o.configuration ?? "continue", failurePolicy: o.failurePolicy, ...PLUGIN },
    },
  };
  const envoy = await startEnvoy(opts).catch(async (e: unknown) => {
    await upstream.stop();
    throw e;
  });
  return { envoy, upstream, stop: async () => void (await Promise.all([envoy.stop(), upstream.stop()])) };
}

export interface ActResult {
  status: number;
  headers: Headers;
  body: string;
  /** what the upstream received, when the request got through */
  echo?: Echo;
}

/** Sends one request carrying the fixture action `action`. */
export async function act(envoy: RunningEnvoy, action: string, path = "/act"): Promise<ActResult> {
  const res = await fetch(envoy.url + path, { headers: { "x-fixture-action": action } });
  const body = await res.text();
  const echo = res.headers.get("content-type") === "application/json" ? (JSON.parse(body) as Echo) : undefined;
  return { status: res.status, headers: res.headers, body, echo };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A loopback port with nothing listening (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and never answers. */
export async function silentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => void sockets.add(s));
  const port = await listen(server);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
