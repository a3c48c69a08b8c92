// The operation test vectors' pipelines, each in a header source: the schema accepts them,
// except the vectors marked config_error, which it rejects.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { withOps } from "./cases";
import { schemaAccepts } from "../support/schema-validator";

interface Vector { name: string; ops: unknown[]; config_error?: boolean }

const vectors: Vector[] = JSON.parse(readFileSync(resolve(import.meta.dirname, "../ops/vectors/operations.json"), "utf8"));

it.each(vectors.map((v): [string, Vector] => [v.name, v]))("%s", (_, v) => {
  expect(schemaAccepts(withOps(v.ops))).toBe(!v.config_error);
});
