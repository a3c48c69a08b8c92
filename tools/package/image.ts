// The Wasm OCI image Istio pulls, "OCI image, compat variant" (docs/deployment.md §7): one
// tar+gzip layer holding plugin.wasm, an image config listing its diff_id, and the manifest.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { tar } from "./tar";

export const MEDIA_TYPES = {
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Blob {
  descriptor: Descriptor;
  bytes: Buffer;
}

export interface Image {
  manifest: Blob;
  config: Blob;
  layer: Blob;
}

export const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

function blob(mediaType: string, bytes: Buffer): Blob {
  return { descriptor: { mediaType, digest: sha256(bytes), size: bytes.length }, bytes };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

// The gzip header's mtime and OS byte are pinned (0 and 255, "unknown"): zlib's OS byte depends
// on the platform, and neither is covered by the CRC. The deflate stream itself is zlib's.
function gzip(bytes: Buffer): Buffer {
  const gz = gzipSync(bytes, { level: 9 });
  gz.writeUInt32LE(0, 4);
  gz[9] = 255;
  return gz;
}

export function buildImage(wasm: Uint8Array, meta: { title: string; version: string }): Image {
  const layerTar = tar([{ name: "plugin.wasm", data: wasm }]);
  const layer = blob(MEDIA_TYPES.layer, gzip(layerTar));
  const config = blob(MEDIA_TYPES.config, json({
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [sha256(layerTar)] },
  }));
  const manifest = blob(MEDIA_TYPES.manifest, json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: config.descriptor,
    layers: [layer.descriptor],
    annotations: { "org.opencontainers.image.title": meta.title, "org.opencontainers.image.version": meta.version },
  }));
  return { manifest, config, layer };
}
