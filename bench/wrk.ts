// One load measurement with wrk (native, one thread) pinned to a CPU, and the Lua script that
// rotates user keys. wrk rather than autocannon here: a Node load generator needs more CPU per
// request than the Envoy it measures, and the pinned section wants Envoy to be the bottleneck.
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface WrkOptions {
  url: string;
  connections: number;
  durationS: number;
  /** CPU wrk is pinned to (taskset -c) */
  cpu: number;
  /** a Lua script (e.g. `rotatingKeysScript`) generating the requests instead of `url`'s path */
  script?: string;
}

export interface WrkSample {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** responses with a status outside 2xx/3xx */
  non2xx: number;
  /** socket errors: connect + read + write + timeout */
  socketErrors: number;
}

/** wrk's path, or undefined when it is not installed (scripts/ensure-wrk.sh installs it) */
export function locateWrk(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function runWrk(o: WrkOptions): Promise<WrkSample> {
  const args = ["-c", String(o.cpu), "wrk", "-t", "1", "-c", String(o.connections), "-d", `${o.durationS}s`, "--latency"];
  if (o.script) args.push("-s", o.script);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${err}${out}`));
      try {
        resolve(parseWrk(out));
      } catch (e) {
        reject(e);
      }
    });
  });
}

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(out: string, percentile: string): number {
  const m = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(out);
  if (!m) throw new Error(`wrk output without the ${percentile}% latency:\n${out}`);
  return Number(m[1]) * MS_PER_UNIT[m[2]];
}

export function parseWrk(out: string): WrkSample {
  const requests = /^\s*(\d+) requests in /m.exec(out);
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  if (!requests || !rps) throw new Error(`unexpected wrk output:\n${out}`);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(requests[1]),
    rps: Number(rps[1]),
    p50Ms: latencyMs(out, "50"),
    p99Ms: latencyMs(out, "99"),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
  };
}

/**
 * Writes a wrk script into `dir` that sends `GET <pathPrefix><key>` with `count` keys
 * `<keyPrefix>0001` … in turn, and returns its path.
 */
export function rotatingKeysScript(dir: string, pathPrefix: string, keyPrefix: string, count: number): string {
  const file = join(dir, `rotate-${count}.lua`);
  writeFileSync(
    file,
    `local n, i = ${count}, 0
request = function()
  i = i % n + 1
  return wrk.format("GET", string.format("%s%s%04d", ${JSON.stringify(pathPrefix)}, ${JSON.stringify(keyPrefix)}, i))
end
`,
  );
  return file;
}
