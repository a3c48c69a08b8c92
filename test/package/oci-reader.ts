// An independent reader for what tools/package writes: untars (checking ustar headers and
// checksums), and loads an OCI image layout while verifying every blob's digest and size.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface TarEntry { name: string; mode: number; uid: number; gid: number; mtime: number; type: string; data: Buffer }

const field = (b: Buffer, start: number, length: number) => b.subarray(start, start + length).toString("latin1").replace(/\0.*$/s, "");
const octal = (b: Buffer, start: number, length: number) => parseInt(field(b, start, length).trim() || "0", 8);

export function untar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  for (let at = 0; ; ) {
    if (at + 512 > archive.length) throw new Error("tar: missing end-of-archive blocks");
    const h = archive.subarray(at, at + 512);
    if (h.every((b) => b === 0)) return entries;
    if (field(h, 257, 6) !== "ustar") throw new Error(`tar: bad magic at ${at}`);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (octal(h, 148, 8) !== sum) throw new Error(`tar: bad checksum at ${at}`);
    const size = octal(h, 124, 12);
    const prefix = field(h, 345, 155);
    entries.push({
      name: prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100),
      mode: octal(h, 100, 8), uid: octal(h, 108, 8), gid: octal(h, 116, 8), mtime: octal(h, 136, 12),
      type: field(h, 156, 1) || "0",
      data: Buffer.from(archive.subarray(at + 512, at + 512 + size)),
    });
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

export interface Descriptor { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }

export interface Layout {
  files: Map<string, Buffer>;
  index: { schemaVersion: number; manifests: Descriptor[] };
  /** the blob a descriptor points to, after checking its size and digest */
  blob(d: Descriptor): Buffer;
}

export function layoutFromFiles(files: Map<string, Buffer>): Layout {
  const read = (name: string) => {
    const b = files.get(name);
    if (!b) throw new Error(`layout: missing ${name}`);
    return b;
  };
  for (const [name, bytes] of files) {
    const m = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(name);
    if (m && createHash("sha256").update(bytes).digest("hex") !== m[1]) throw new Error(`layout: ${name} does not match its digest`);
  }
  return {
    files,
    index: JSON.parse(read("index.json").toString()),
    blob(d) {
      const bytes = read(`blobs/${d.digest.replace(":", "/")}`);
      if (bytes.length !== d.size) throw new Error(`layout: ${d.digest} has ${bytes.length} bytes, descriptor says ${d.size}`);
      return bytes;
    },
  };
}

export function layoutFromDir(dir: string): Layout {
  const names = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((n) => statSync(join(dir, n)).isFile());
  return layoutFromFiles(new Map(names.map((n) => [n, readFileSync(join(dir, n))])));
}

export function layoutFromArchive(archive: Buffer): Layout {
  return layoutFromFiles(new Map(untar(archive).map((e) => [e.name, e.data])));
}
