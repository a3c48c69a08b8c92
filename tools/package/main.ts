// `npm run package`: build/authrep.wasm → build/oci/ (OCI image layout) and
// build/authrep-wasm-oci.tar, then prints the digest WasmPlugin needs and how to push.
// Usage: tsx tools/package/main.ts [output directory, default build]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildImage } from "./image";
import { layoutFiles, writeLayout } from "./layout";

const root = resolve(import.meta.dirname, "../..");
const out = resolve(process.argv[2] ?? join(root, "build"));
const { name, version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };

const image = buildImage(readFileSync(join(root, "build/authrep.wasm")), { title: name, version });
const dir = join(out, "oci");
const archive = join(out, "authrep-wasm-oci.tar");
writeLayout(layoutFiles(image, version), dir, archive);

const digest = image.manifest.descriptor.digest;
const ref = `REGISTRY/${name}:${version}`;
console.log(`OCI image layout: ${dir}
OCI archive:      ${archive}
manifest digest:  ${digest}

WasmPlugin: url: oci://${ref}   sha256: ${digest.slice("sha256:".length)}

Push (replace REGISTRY), with any of:
  oras cp --from-oci-layout ${dir}:${version} ${ref}
  crane push ${dir} ${ref}
  skopeo copy oci:${dir}:${version} docker://${ref}
  skopeo copy oci-archive:${archive}:${version} docker://${ref}`);
