// Validates Kubernetes manifests against the openAPIV3Schema of the vendored CRDs (crds/, see
// crds/update.sh) with Ajv, the way the API server checks structure: types, enums, patterns,
// required fields, formats, and unknown fields (an object schema with `properties` and no
// `x-kubernetes-preserve-unknown-fields` takes no other keys; kubectl's strict field validation
// rejects them, the API server would drop them). The CEL rules (`x-kubernetes-validations`) are
// not evaluated.
import Ajv, { type ValidateFunction } from "ajv";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export const CRDS_DIR = join(import.meta.dirname, "crds");

const INT_RANGES: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] };

function newAjv(): Ajv {
  // strictTypes off: Kubernetes schemas put `pattern` in allOf branches without a type
  const ajv = new Ajv({ strictTypes: false });
  for (const k of ["x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-embedded-resource"]) {
    ajv.addKeyword({ keyword: k });
  }
  for (const [name, [min, max]] of Object.entries(INT_RANGES)) {
    ajv.addFormat(name, { type: "number", validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  }
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv;
}

const ajv = newAjv();

/** the schema with unknown fields refused, as strict field validation does */
function closed(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v)]));
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}

const OBJECT_META = {
  type: "object",
  properties: { name: { type: "string", minLength: 1 }, namespace: { type: "string" }, labels: { type: "object" }, annotations: { type: "object" } },
  required: ["name"],
};

export interface Crd {
  file: string;
  schema: object;
  /** compiled on first use: some schemas are large */
  validate?: ValidateFunction;
}

export function loadCrds(dir = CRDS_DIR): Map<string, Crd> {
  const crds = new Map<string, Crd>();
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      const crd = doc.toJS() as any;
      if (crd?.kind !== "CustomResourceDefinition") continue;
      for (const version of crd.spec.versions.filter((v: any) => v.served)) {
        const apiVersion = `${crd.spec.group}/${version.name}`;
        const schema = closed(version.schema.openAPIV3Schema);
        schema.properties = { ...schema.properties, apiVersion: { const: apiVersion }, kind: { const: crd.spec.names.kind }, metadata: OBJECT_META };
        crds.set(`${apiVersion} ${crd.spec.names.kind}`, { file, schema });
      }
    }
  }
  return crds;
}

/** "" when the CRD accepts the manifest, else where and why not (or that no CRD is vendored for it) */
export function manifestError(crds: Map<string, Crd>, manifest: any): string {
  const crd = crds.get(`${manifest?.apiVersion} ${manifest?.kind}`);
  if (!crd) return `no CRD for ${manifest?.apiVersion} ${manifest?.kind} in ${CRDS_DIR}`;
  crd.validate ??= ajv.compile(crd.schema);
  if (crd.validate(manifest)) return "";
  const e = crd.validate.errors![0];
  const extra = e.params && "additionalProperty" in e.params ? ` (${(e.params as any).additionalProperty})` : "";
  return `${e.instancePath || "/"} ${e.message}${extra}`;
}
