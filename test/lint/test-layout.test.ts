// Where tests and their helpers live (docs/testing.md §4): one place for AssemblyScript unit
// entries, one for fixture modules, one name for an area's helper, shared helpers in
// test/support/, and nothing outside test/ importing from it. A file that breaks the scheme is
// named here with the rule it breaks: move or rename it, or change the scheme and its section
// together.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** generic names that say nothing about what a helper provides; an area's helper is support.ts */
const VAGUE_NAMES = ["common", "exports", "fixture", "fixtures", "harness", "helper", "helpers", "index", "lib", "misc", "unit", "units", "util", "utils"];
/** folders outside test/ whose code must not import from test/ (bench/ in particular) */
const OUTSIDE = ["bench", "bin", "tools"];
const CODE = /\.(ts|js|mjs)$/;

/** path (relative to the repository, "/"-separated) → contents */
type Tree = Map<string, string>;

function collect(tree: Tree, dir: string): void {
  for (const e of readdirSync(resolve(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) collect(tree, path);
    else tree.set(path, CODE.test(e.name) ? readFileSync(resolve(root, path), "utf8") : "");
  }
}

/** the relative imports and re-exports of a source, resolved against the repository */
function imports(path: string, source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'`](\.{1,2}\/[^"'`]+)["'`]/g);
  return [...found].map((m) => normalize(join(dirname(path), m[1])).replaceAll("\\", "/"));
}

/** every way `tree` breaks the layout, as "path: rule" */
function layoutViolations(tree: Tree): string[] {
  const bad: string[] = [];
  for (const [path, source] of tree) {
    const parts = path.split("/");
    const name = parts.at(-1)!;
    const isTest = name.endsWith(".test.ts");
    if (OUTSIDE.includes(parts[0])) {
      if (imports(path, source).some((t) => t.startsWith("test/"))) bad.push(`${path}: imports from test/`);
      continue;
    }
    if (parts[0] !== "test") continue;
    const area = parts[1];

    if (area === "as") {
      if (path === "test/as/asconfig.json") continue;
      if (parts.length !== 4 || !name.endsWith(".ts") || isTest) bad.push(`${path}: test/as/ holds unit entries test/as/<area>/<name>.ts only`);
      continue;
    }
    if (area === "fixtures") {
      if (parts.length < 4 || isTest) bad.push(`${path}: test/fixtures/ holds fixture modules in test/fixtures/<kind>/ only`);
      continue;
    }
    if (parts.length === 2) {
      bad.push(`${path}: every file under test/ belongs to an area folder`);
      continue;
    }
    if (parts.slice(1, -1).some((d) => d === "as" || d.includes("fixtures"))) {
      bad.push(`${path}: unit entries belong in test/as/, fixture modules in test/fixtures/`);
    }
    if (!CODE.test(name)) {
      if (parts.length === 3) bad.push(`${path}: data files sit in a data folder of their area (vectors/, crds/)`);
      continue;
    }
    for (const m of source.matchAll(/\bloadAsUnit\s*(?:<[^>]*>)?\(\s*["'`]([^"'`]*)/g)) {
      if (!m[1].startsWith("test/as/")) bad.push(`${path}: loads a unit entry outside test/as/ (${m[1]})`);
    }
    if (!isTest && VAGUE_NAMES.includes(name.replace(CODE, ""))) {
      bad.push(`${path}: an area's helper is support.ts, other helpers are named for what they provide`);
    }
    for (const target of imports(path, source)) {
      const to = target.split("/");
      if (to[0] === "assembly") bad.push(`${path}: AssemblyScript sources live in test/as/ or test/fixtures/`);
      if (to[0] !== "test" || to[1] === area || to[1] === "fixtures" || to[1] === "as") continue;
      if (to[1] !== "support" && to.at(-1)!.replace(CODE, "") !== "support") {
        bad.push(`${path}: uses ${target} of another area: only its support.ts, or move it to test/support/`);
      }
    }
  }
  return bad;
}

describe("the layout of test/", () => {
  it("follows the scheme of docs/testing.md", () => {
    const tree: Tree = new Map();
    for (const dir of ["test", ...OUTSIDE]) collect(tree, dir);
    expect(layoutViolations(tree)).toEqual([]);
  });
});

describe("the check", () => {
  const check = (files: Record<string, string>) => layoutViolations(new Map(Object.entries(files)));
  // built, so that the scan of this file does not read them as its own imports
  const imp = (...specifiers: string[]) => specifiers.map((s) => `import { a } from "${s}";`).join("\n");
  const load = (entry: string) => `loadAsUnit(${JSON.stringify(entry)});`;

  it("catches unit entries and fixture modules out of place", () => {
    expect(check({ "test/system/as/system.ts": imp("../../../assembly/system/document") })).toHaveLength(2);
    expect(check({ "test/json.ts": "" })).toHaveLength(1);
    expect(check({ "test/as/json.ts": "" })).toHaveLength(1);
    expect(check({ "test/as/rules/deep/regex.ts": "" })).toHaveLength(1);
    expect(check({ "test/as/ops/ops_caps.test.ts": "" })).toHaveLength(1);
    expect(check({ "test/host-fixtures/calls.ts": "" })).toHaveLength(1);
    expect(check({ "test/host/fixtures/calls.ts": "" })).toHaveLength(1);
    expect(check({ "test/fixtures/calls.ts": "" })).toHaveLength(1);
    expect(check({ "test/url/url.test.ts": load("test/url/entry.ts") })).toHaveLength(1);
  });

  it("catches vague helper names, reaching into another area and bench/ importing tests", () => {
    expect(check({ "test/ops/harness.ts": "" })).toHaveLength(1);
    expect(check({ "test/simulator/helpers.ts": "" })).toHaveLength(1);
    expect(check({ "test/deploy/crds.test.ts": imp("../schema/validator") })).toHaveLength(1);
    expect(check({ "test/support/stack.ts": imp("../e2e/schemes/istio") })).toHaveLength(1);
    expect(check({ "bench/load.ts": imp("../test/support/request-loop") })).toHaveLength(1);
    expect(check({ "test/ops/vectors.json": "" })).toHaveLength(1);
  });

  it("lets the scheme through", () => {
    expect(check({
      "test/as/asconfig.json": "",
      "test/as/ops/surface.ts": "",
      "test/as/ops/caps.ts": imp("./surface"),
      "test/as/url/url.ts": imp("../../../assembly/url/request"),
      "test/fixtures/host/lib/abi.ts": "",
      "test/fixtures/abi/binding.ts": imp("../../../assembly/abi/enums"),
      "test/ops/support.ts": imp("../support/as-unit") + load("test/as/ops/caps.ts"),
      "test/ops/vectors/operations.json": "",
      "test/url/corpus.ts": "",
      "test/cache/hits.test.ts": imp("../e2e/support", "../support/module", "../../tools/host"),
      "test/e2e/hostile/support.ts": imp("../../support/hostile-bound", "../schemes/support"),
      "test/support/request-loop.ts": imp("../e2e/support"),
      "bench/run.ts": imp("../tools/envoy/locate"),
    })).toEqual([]);
  });
});
