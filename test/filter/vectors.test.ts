// The public vectors (copied from the specification into test/) through the built module:
// operation pipelines on a `header` source observed in the authrep query, and mapping rules
// observed as "authrep called" versus 404. Every operations vector also enters through filter
// metadata with its input as a list, which is the only way to start with several values.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import { BACKEND_CLUSTER, config, service } from "../support/configs";
import type { RequestSpec } from "../../tools/host/types";
import { authrepParams, requestHeaders, WASM } from "../support/module";

interface OpVector { name: string; ops: unknown; input: string[]; expect?: string[]; expect_fail?: boolean; config_error?: boolean }
interface RuleVector { pattern: string; method_rule: string; method: string; path: string; match: boolean }

const opVectors: OpVector[] = JSON.parse(readFileSync(resolve(import.meta.dirname, "../ops/vectors/operations.json"), "utf8"));
const ruleVectors: RuleVector[] = JSON.parse(readFileSync(resolve(import.meta.dirname, "../rules/vectors/mapping_rules.json"), "utf8"));

// Appended to every pipeline so the whole final stack reaches the authrep query as one value.
const SEPARATOR = "\u001f";

let host: ProxyWasmHost;
beforeAll(async () => { host = await ProxyWasmHost.create({ wasm: WASM, clusters: { [BACKEND_CLUSTER]: () => ({ status: 200 }) } }); });
afterAll(async () => { await host.close(); });

/**
 * Configures `source` (with the vector's ops, plus a final join) as the only user_key source,
 * sends `request`, and checks the outcome: rejected configuration, missing credentials, or the
 * whole final stack as the authrep user_key.
 */
async function checkVector(v: OpVector, source: (ops: unknown) => unknown, request: RequestSpec): Promise<void> {
  const ops = Array.isArray(v.ops) ? [...v.ops, { join: SEPARATOR }] : v.ops;
  const configured = await host.configure(JSON.stringify(config([service({ credentials: { user_key: [source(ops)] } })])));
  if (v.config_error) {
    expect(configured.accepted).toBe(false);
    return;
  }
  expect(configured.accepted).toBe(true);
  const r = await host.request(request);
  if (v.expect_fail) {
    expect([r.status, r.body]).toEqual([403, "Authentication parameters missing\n"]);
    return;
  }
  expect(r.outcome).toBe("continue");
  expect(authrepParams(r).user_key.split(SEPARATOR)).toEqual(v.expect);
}

describe("operations vectors through a header source", () => {
  const single = opVectors.filter((v) => v.input.length === 1);
  it.each(single.map((v) => [v.name, v] as const))("%s", (_, v) =>
    checkVector(v, (ops) => ({ header: { keys: ["x-cred"], ops } }), { headers: requestHeaders("/", [["x-cred", v.input[0]]]) }));
});

describe("operations vectors through a filter source with list-valued metadata", () => {
  it.each(opVectors.map((v) => [v.name, v] as const))("%s", (_, v) =>
    checkVector(v, (ops) => ({ filter: { path: ["vectors", "entry"], keys: ["input"], ops } }), { headers: requestHeaders("/"), metadata: { vectors: { entry: { input: v.input } } } }));
});

describe("mapping-rule vectors", () => {
  it.each(ruleVectors.map((v) => [`${v.method_rule} ${v.pattern} vs ${v.method} ${v.path}`, v] as const))("%s", async (_, v) => {
    const rule = { method: v.method_rule, pattern: v.pattern, usages: [{ name: "hits", delta: 1 }] };
    const configured = await host.configure(JSON.stringify(config([service({ credentials: { user_key: [{ header: { keys: ["k"] } }] }, mapping_rules: [rule] })])));
    expect(configured.accepted).toBe(true);
    const r = await host.request({ headers: [[":authority", "example.com"], [":path", v.path], [":method", v.method], ["k", "key"]] });
    if (v.match) {
      expect(r.outcome).toBe("continue");
      expect(authrepParams(r)["usage[hits]"]).toBe("1");
    } else {
      expect([r.status, r.body]).toEqual([404, "No Mapping Rule matched\n"]);
    }
  });
});
