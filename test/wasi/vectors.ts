// The public vectors as harness documents, each with the check test/filter/vectors.test.ts makes
// on the proxy-wasm build: operations on a header source (and on list-valued filter metadata)
// observed in the authrep user_key, mapping rules observed as authrep versus 404.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect } from "vitest";
import { config, service } from "../support/configs";
import type { HarnessDocument, HarnessResult, Pair } from "../../tools/wasi/harness";

interface OpVector { name: string; ops: unknown; input: string[]; expect?: string[]; expect_fail?: boolean; config_error?: boolean }
interface RuleVector { pattern: string; method_rule: string; method: string; path: string; match: boolean }

export interface VectorCase {
  name: string;
  doc: HarnessDocument;
  /** the configuration must be rejected (exit code 1) */
  rejected: boolean;
  check(r: HarnessResult): void;
}

const opVectors: OpVector[] = JSON.parse(readFileSync(resolve(import.meta.dirname, "../ops/vectors/operations.json"), "utf8"));
const ruleVectors: RuleVector[] = JSON.parse(readFileSync(resolve(import.meta.dirname, "../rules/vectors/mapping_rules.json"), "utf8"));

// Appended to every pipeline so the whole final stack reaches the authrep query as one value.
const SEPARATOR = "\u001f";

export function requestHeaders(path: string, extra: Pair[] = [], method = "GET"): Pair[] {
  return [[":authority", "example.com"], [":path", path], [":method", method], [":scheme", "https"], ...extra];
}

/** the authrep query as the backend decodes it (form rules, last value wins) */
export function authrepParams(r: HarnessResult): Record<string, string> {
  const headers = r.decision?.authrep?.headers ?? [];
  const path = headers.find(([name]) => name === ":path")?.[1] ?? "";
  return Object.fromEntries(new URLSearchParams(path.split("?").slice(1).join("?")));
}

function opCase(name: string, v: OpVector, source: (ops: unknown) => unknown, request: HarnessDocument["request"]): VectorCase {
  const ops = Array.isArray(v.ops) ? [...v.ops, { join: SEPARATOR }] : v.ops;
  return {
    name,
    doc: { config: config([service({ credentials: { user_key: [source(ops)] } })]), request },
    rejected: v.config_error === true,
    check(r) {
      expect(r.configured).toBe(!v.config_error);
      if (v.config_error) return;
      if (v.expect_fail) {
        expect([r.decision?.status, r.decision?.body]).toEqual([403, "Authentication parameters missing\n"]);
        return;
      }
      expect(r.decision?.outcome).toBe("authrep");
      expect(authrepParams(r).user_key.split(SEPARATOR)).toEqual(v.expect);
    },
  };
}

export const headerCases: VectorCase[] = opVectors.filter((v) => v.input.length === 1).map((v) =>
  opCase(`header: ${v.name}`, v, (ops) => ({ header: { keys: ["x-cred"], ops } }), { headers: requestHeaders("/", [["x-cred", v.input[0]]]) }));

export const metadataCases: VectorCase[] = opVectors.map((v) =>
  opCase(`filter: ${v.name}`, v, (ops) => ({ filter: { path: ["vectors", "entry"], keys: ["input"], ops } }),
    { headers: requestHeaders("/"), metadata: { vectors: { entry: { input: v.input } } } }));

export const ruleCases: VectorCase[] = ruleVectors.map((v) => ({
  name: `rule: ${v.method_rule} ${v.pattern} vs ${v.method} ${v.path}`,
  doc: {
    config: config([service({ credentials: { user_key: [{ header: { keys: ["k"] } }] }, mapping_rules: [{ method: v.method_rule, pattern: v.pattern, usages: [{ name: "hits", delta: 1 }] }] })]),
    request: { headers: [[":authority", "example.com"], [":path", v.path], [":method", v.method], ["k", "key"]] },
  },
  rejected: false,
  check(r) {
    expect(r.configured).toBe(true);
    if (v.match) expect(authrepParams(r)["usage[hits]"]).toBe("1");
    else expect([r.decision?.status, r.decision?.body]).toEqual([404, "No Mapping Rule matched\n"]);
  },
}));
