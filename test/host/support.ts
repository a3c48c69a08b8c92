// Compiles the AssemblyScript host fixtures (test/fixtures/host/*.ts) with asc, caching the
// .wasm under build/host-fixtures by a hash of the sources, and starts hosts on them.
import asc from "assemblyscript/asc";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { ProxyWasmHost, type HostOptions } from "../../tools/host";

const root = resolve(import.meta.dirname, "../..");
const sources = join(root, "test/fixtures/host");
const cache = join(root, "build/host-fixtures");

export async function fixture(name: string): Promise<Uint8Array> {
  const entry = join(sources, `${name}.ts`);
  const hash = createHash("sha256");
  for (const file of [entry, join(sources, "asconfig.json"), ...readdirSync(join(sources, "lib")).map((f) => join(sources, "lib", f))]) {
    hash.update(readFileSync(file));
  }
  const wasm = join(cache, `${name}-${hash.digest("hex").slice(0, 16)}.wasm`);
  if (!existsSync(wasm)) {
    mkdirSync(cache, { recursive: true });
    const tmp = `${wasm}.${process.pid}.tmp`;
    const { error, stderr } = await asc.main([entry, "--config", join(sources, "asconfig.json"), "--outFile", tmp]);
    if (error) throw new Error(`asc failed for ${name}: ${stderr.toString()}`);
    renameSync(tmp, wasm);
  }
  return new Uint8Array(readFileSync(wasm));
}

/** a host on a fixture, configured with `configuration` (throws if it is rejected) */
export async function configuredHost(
  name: string,
  configuration = "",
  options: Omit<HostOptions, "wasm"> = {},
): Promise<ProxyWasmHost> {
  const host = await ProxyWasmHost.create({ wasm: await fixture(name), ...options });
  const result = await host.configure(configuration);
  if (!result.accepted) throw new Error(`configuration rejected: ${result.error}`);
  return host;
}

export function header(headers: [string, unknown][] | undefined, name: string): unknown {
  return headers?.find(([n]) => n === name)?.[1];
}

export const GET = (path: string, extra: [string, string | Uint8Array][] = []): [string, string | Uint8Array][] => [
  [":authority", "api.example.com"],
  [":path", path],
  [":method", "GET"],
  [":scheme", "https"],
  ...extra,
];
