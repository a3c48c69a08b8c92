// Writes an image as an OCI image layout directory and as a tarball of that same layout
// (what `oras cp --from-oci-layout`, `crane push` and `skopeo copy oci:/oci-archive:` read).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Image } from "./image";
import { tar, type TarFile } from "./tar";

export function layoutFiles(image: Image, tag: string): TarFile[] {
  const index = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{ ...image.manifest.descriptor, annotations: { "org.opencontainers.image.ref.name": tag } }],
  };
  const blobs = [image.manifest, image.config, image.layer].map((b) => ({
    name: `blobs/sha256/${b.descriptor.digest.slice("sha256:".length)}`,
    data: b.bytes,
  }));
  return [
    { name: "oci-layout", data: Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" })) },
    { name: "index.json", data: Buffer.from(JSON.stringify(index)) },
    ...blobs,
  ];
}

/** replaces `dir` (stale blobs must not survive) and writes `archive` */
export function writeLayout(files: TarFile[], dir: string, archive: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    const path = join(dir, f.name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, f.data);
  }
  writeFileSync(archive, tar(files));
}
