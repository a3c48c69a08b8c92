// `tools/package/main.ts` output, re-read with an independent reader (oci-reader.ts): digests
// and sizes, media types, the layer's single plugin.wasm, Istio's acceptance rules, and
// reproducibility (two builds, identical bytes).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WASM } from "../support/module";
import { istioWasm } from "./istio";
import { type Layout, layoutFromArchive, layoutFromDir, layoutFromFiles, untar } from "./oci-reader";

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

interface Build { out: string; stdout: string; dir: Layout; archive: Buffer; digest: string }
const builds: Build[] = [];

function build(): Build {
  const out = mkdtempSync(join(tmpdir(), "authrep-oci-"));
  const stdout = execFileSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "tools/package/main.ts"), out], { encoding: "utf8" });
  const dir = layoutFromDir(join(out, "oci"));
  return { out, stdout, dir, archive: readFileSync(join(out, "authrep-wasm-oci.tar")), digest: dir.index.manifests[0].digest };
}

beforeAll(() => { builds.push(build(), build()); });
afterAll(() => { for (const b of builds) rmSync(b.out, { recursive: true, force: true }); });

describe("the OCI image layout", () => {
  it("has the layout marker and one tagged manifest, whose digest is printed", () => {
    const [{ dir, stdout, digest }] = builds;
    expect(JSON.parse(dir.files.get("oci-layout")!.toString())).toEqual({ imageLayoutVersion: "1.0.0" });
    expect(dir.index.manifests).toHaveLength(1);
    expect(dir.index.manifests[0]).toMatchObject({ mediaType: "application/vnd.oci.image.manifest.v1+json", annotations: { "org.opencontainers.image.ref.name": pkg.version } });
    expect(stdout).toContain(`manifest digest:  ${digest}`);
    expect(stdout).toContain(`sha256: ${digest.slice(7)}`);
  });

  it("holds exactly the manifest, config and layer blobs, each matching its descriptor", () => {
    const { dir } = builds[0];
    const manifest = JSON.parse(dir.blob(dir.index.manifests[0]).toString());
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json" },
      annotations: { "org.opencontainers.image.title": pkg.name, "org.opencontainers.image.version": pkg.version },
    });
    const layerTar = gunzipSync(dir.blob(manifest.layers[0]));
    expect(JSON.parse(dir.blob(manifest.config).toString())).toEqual({
      architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [sha256(layerTar)] },
    });
    const referenced = [dir.index.manifests[0], manifest.config, ...manifest.layers].map((d) => `blobs/${d.digest.replace(":", "/")}`);
    expect([...dir.files.keys()].filter((n) => n.startsWith("blobs/")).sort()).toEqual(referenced.sort());
  });

  it("has a layer that untars to exactly plugin.wasm, 0644, owned by 0:0, mtime 0, equal to build/authrep.wasm", () => {
    const { dir } = builds[0];
    const manifest = JSON.parse(dir.blob(dir.index.manifests[0]).toString());
    const entries = untar(gunzipSync(dir.blob(manifest.layers[0])));
    expect(entries.map(({ data, ...e }) => e)).toEqual([{ name: "plugin.wasm", mode: 0o644, uid: 0, gid: 0, mtime: 0, type: "0" }]);
    expect(entries[0].data.equals(readFileSync(WASM))).toBe(true);
  });

  it("rejects a tampered blob (the reader really checks digests)", () => {
    const files = new Map(builds[0].dir.files);
    const [name, bytes] = [...files].find(([n]) => n.startsWith("blobs/"))!;
    files.set(name, Buffer.concat([bytes, Buffer.from(" ")]));
    expect(() => layoutFromFiles(files)).toThrow(/does not match its digest/);
  });
});

describe("the tarball", () => {
  it("holds the same files as the layout directory", () => {
    const { dir, archive } = builds[0];
    const fromTar = layoutFromArchive(archive);
    expect([...fromTar.files.keys()].sort()).toEqual([...dir.files.keys()].sort());
    for (const [name, bytes] of dir.files) expect(fromTar.files.get(name)!.equals(bytes)).toBe(true);
  });
});

describe("Istio's fetcher (OCI image, compat variant)", () => {
  it.each([["directory", () => builds[0].dir], ["tarball", () => layoutFromArchive(builds[0].archive)]])("accepts the %s and loads build/authrep.wasm", (_, layout) => {
    expect(istioWasm(layout(), builds[0].digest).equals(readFileSync(WASM))).toBe(true);
  });
});

it("is reproducible: two builds give identical digests and bytes", () => {
  const [a, b] = builds;
  expect(b.digest).toBe(a.digest);
  expect(b.archive.equals(a.archive)).toBe(true);
});
