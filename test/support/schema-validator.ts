// The plugin-configuration JSON Schema, compiled once with Ajv (draft 2020-12).
import Ajv2020 from "ajv/dist/2020";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export const SCHEMA_PATH = resolve(import.meta.dirname, "../../schema/plugin-config.schema.json");

// strictTuples off: strlen and test have tuples whose last element may be left out.
const ajv = new Ajv2020({ strictTuples: false });
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")));

export function schemaAccepts(config: unknown): boolean {
  return validate(config);
}

/** the first problem the schema found, for failure messages */
export function schemaError(config: unknown): string {
  if (validate(config)) return "";
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || "/"} ${e.message}` : "rejected";
}
