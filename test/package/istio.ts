// Istio's Wasm image fetcher rules for the "OCI image, compat variant" (docs/deployment.md §7): the
// Wasm module an oci:// WasmPlugin would load from a layout, or an error as Istio would refuse it.
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { type Layout, untar } from "./oci-reader";

export function istioWasm(layout: Layout, manifestDigest: string): Buffer {
  const entry = layout.index.manifests.find((m) => m.digest === manifestDigest);
  if (!entry) throw new Error("manifest not in index.json");
  const manifest = JSON.parse(layout.blob(entry).toString());
  if (manifest.mediaType !== "application/vnd.oci.image.manifest.v1+json") throw new Error(`manifest media type ${manifest.mediaType}`);
  // Older Istio requires exactly one layer (newer ones read the last).
  if (manifest.layers.length !== 1) throw new Error(`${manifest.layers.length} layers`);
  const [layer] = manifest.layers;
  if (layer.mediaType !== "application/vnd.oci.image.layer.v1.tar+gzip") throw new Error(`layer media type ${layer.mediaType}`);
  const file = untar(gunzipSync(layout.blob(layer))).find((e) => e.type === "0" && basename(e.name) === "plugin.wasm");
  if (!file) throw new Error("no plugin.wasm in the layer");
  return file.data;
}
