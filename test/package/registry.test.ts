// The OCI image of `npm run package` through a real registry with a real client: the CNCF
// distribution registry (Debian's docker-registry) on 127.0.0.1 with its own config and storage,
// and crane (go-containerregistry, the library Istio's image fetcher uses). Pushed from
// build/oci, pulled back by the digest `npm run package` tells users to put in `sha256`; the
// pulled layer's plugin.wasm is byte-identical to build/authrep.wasm. Both tools come from
// scripts/ensure-registry-tools.sh (run by `pretest`); where they are missing the test is
// skipped with a banner, except under CI=true, where it fails.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layoutFromDir, untar } from "./oci-reader";

const ROOT = resolve(import.meta.dirname, "../..");
const REGISTRY = "/usr/bin/docker-registry";
const CRANE = join(ROOT, ".tools/bin/crane");
const WASM = join(ROOT, "build/authrep.wasm");
const { name, version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
const run = promisify(execFile);

const missing = [[REGISTRY, "Debian's docker-registry"], [CRANE, "crane"], [WASM, "build/authrep.wasm (npm run build)"]]
  .filter(([path]) => !existsSync(path)).map(([path, what]) => `${what} (${path})`);
const skip = missing.length > 0 && process.env.CI !== "true";
if (skip) console.warn(`\n*** registry round trip SKIPPED: missing ${missing.join(", ")}; run bash scripts/ensure-registry-tools.sh (needs apt and Go) ***\n`);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((ok) => server.once("listening", ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
}

describe.skipIf(skip)("the OCI image through a real registry (docker-registry + crane)", () => {
  let work: string;
  let registry: ChildProcess | undefined;
  let registryLog = "";
  let host = "";
  let printed = ""; // the sha256 `npm run package` prints for WasmPlugin / TrafficExtension
  const crane = (...args: string[]) => run(CRANE, [...args, "--insecure"], { encoding: "utf8", maxBuffer: 16 << 20 });

  beforeAll(async () => {
    if (missing.length) throw new Error(`CI=true: the registry round trip needs ${missing.join(", ")}`);
    work = mkdtempSync(join(tmpdir(), "authrep-registry-"));
    const out = await run(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "tools/package/main.ts"), join(work, "build")], { encoding: "utf8" });
    printed = /sha256: ([0-9a-f]{64})$/m.exec(out.stdout)?.[1] ?? "";
    host = `127.0.0.1:${await freePort()}`;
    writeFileSync(join(work, "config.yml"), [
      "version: 0.1",
      "log: { level: warn }",
      `storage: { filesystem: { rootdirectory: ${join(work, "storage")} } }`,
      `http: { addr: "${host}" }`,
      "",
    ].join("\n"));
    registry = spawn(REGISTRY, ["serve", join(work, "config.yml")], { stdio: ["ignore", "pipe", "pipe"] });
    registry.stdout!.on("data", (d) => { registryLog += d; });
    registry.stderr!.on("data", (d) => { registryLog += d; });
    for (let i = 0; ; i++) {
      const up = await fetch(`http://${host}/v2/`).then((r) => r.status === 200, () => false);
      if (up) break;
      if (i === 100 || registry.exitCode !== null) throw new Error(`the registry did not start on ${host}:\n${registryLog}`);
      await sleep(100);
    }
  }, 60_000);

  afterAll(async () => {
    if (registry && registry.exitCode === null) {
      registry.kill();
      await new Promise((ok) => registry!.once("exit", ok));
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("crane pushes build/oci; the registry then serves the manifest under the printed sha256", async () => {
    expect(printed).toMatch(/^[0-9a-f]{64}$/);
    const ref = `${host}/${name}:${version}`;
    const pushed = await crane("push", join(work, "build/oci"), ref);
    expect(pushed.stdout.trim()).toBe(`${host}/${name}@sha256:${printed}`);
    expect((await crane("digest", ref)).stdout.trim()).toBe(`sha256:${printed}`);
    const manifest = (await crane("manifest", `${host}/${name}@sha256:${printed}`)).stdout;
    expect(createHash("sha256").update(manifest).digest("hex")).toBe(printed);
    expect(registryLog).toMatch(new RegExp(`PUT /v2/${name}/manifests/${version.replace(/\./g, "\\.")} HTTP/1\\.1" 201`));
  });

  it("crane pulls it back by that digest: one layer whose plugin.wasm is byte-identical to build/authrep.wasm", async () => {
    const pulled = join(work, "pulled");
    await crane("pull", "--format", "oci", `${host}/${name}@sha256:${printed}`, pulled);
    const layout = layoutFromDir(pulled); // checks every blob against its digest
    expect(layout.index.manifests.map((m) => m.digest)).toEqual([`sha256:${printed}`]);
    const manifest = JSON.parse(layout.blob(layout.index.manifests[0]).toString());
    expect(manifest.layers).toHaveLength(1);
    const files = untar(gunzipSync(layout.blob(manifest.layers[0])));
    expect(files.map((f) => f.name)).toEqual(["plugin.wasm"]);
    expect(files[0].data.equals(readFileSync(WASM))).toBe(true);
  });

  it("what an image fetcher extracts (crane export, the layers flattened) is the same plugin.wasm", async () => {
    const tarFile = join(work, "export.tar");
    await crane("export", `${host}/${name}:${version}`, tarFile);
    const files = untar(readFileSync(tarFile));
    expect(files.map((f) => f.name)).toEqual(["plugin.wasm"]);
    expect(files[0].data.equals(readFileSync(WASM))).toBe(true);
  });
});
