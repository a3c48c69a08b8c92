// The folders of assembly/ depend on each other only as docs/design.md §1 draws them: every import
// from one folder into another must be in ALLOWED (the same table as the design document), and
// no two folders may reach each other through imports. A new dependency is a design decision:
// add it to both tables, or move the code.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const assembly = resolve(root, "assembly");

/** folder → the folders it may import from ("." is assembly/index.ts) */
export const ALLOWED: Record<string, string[]> = {
  ".": ["abi", "filter"],
  filter: ["abi", "backend", "cache", "config", "json", "pipeline", "proto", "runtime", "system", "telemetry", "text"],
  abi: ["runtime", "text"],
  cache: ["backend", "config", "pipeline", "runtime", "system", "telemetry", "text", "url"],
  system: ["config", "json", "rules", "runtime", "telemetry", "text", "url"],
  telemetry: ["config", "pipeline", "text"],
  wasi: ["backend", "cache", "config", "json", "pipeline", "runtime", "text"],
  pipeline: ["backend", "config", "json", "ops", "rules", "runtime", "text", "url"],
  backend: ["config", "runtime", "text", "url"],
  config: ["glob", "json", "ops", "rules", "text", "url"],
  ops: ["glob", "json", "proto", "runtime", "text"],
  rules: ["regex", "text"],
  proto: ["json", "text"],
  regex: ["text"],
  glob: ["text"],
  url: ["text"],
  json: ["text"],
  runtime: [],
  text: [],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sources(path) : e.name.endsWith(".ts") ? [path] : [];
  });
}

const folderOf = (path: string) => relative(assembly, path).split("/").slice(0, -1)[0] ?? ".";

/** folder → imported folder → the first import that makes the edge */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sources(assembly)) {
    const from = folderOf(file);
    for (const m of readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/gm)) {
      const to = folderOf(resolve(dirname(file), m[1]) + ".ts");
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, `${relative(root, file)} → ${m[1]}`);
    }
  }
  return graph;
}

describe("assembly/ folder dependencies", () => {
  const graph = folderGraph();

  it("imports only along the allowed table", () => {
    const unexpected: string[] = [];
    for (const [from, edges] of graph) {
      for (const [to, where] of edges) if (!(ALLOWED[from] ?? []).includes(to)) unexpected.push(`${from} → ${to} (${where})`);
    }
    expect(unexpected).toEqual([]);
  });

  it("has no cycle between folders", () => {
    const cycles: string[] = [];
    const reach = (from: string, seen = new Set<string>()): Set<string> => {
      for (const to of graph.get(from)?.keys() ?? []) if (!seen.has(to)) { seen.add(to); reach(to, seen); }
      return seen;
    };
    for (const from of graph.keys()) if (reach(from).has(from)) cycles.push(from);
    expect(cycles).toEqual([]);
  });

  it("the allowed table itself has no cycle (so the check above cannot be satisfied by one)", () => {
    const reach = (from: string, seen = new Set<string>()): Set<string> => {
      for (const to of ALLOWED[from] ?? []) if (!seen.has(to)) { seen.add(to); reach(to, seen); }
      return seen;
    };
    expect(Object.keys(ALLOWED).filter((f) => reach(f).has(f))).toEqual([]);
  });

  it("is the table docs/design.md §1 shows", () => {
    const design = readFileSync(resolve(root, "docs/design.md"), "utf8");
    for (const [from, to] of Object.entries(ALLOWED)) {
      const row = design.split("\n").find((l) => l.startsWith(`| \`${from === "." ? "index.ts" : from + "/"}\` |`));
      expect(row, `docs/design.md §1 has a row for ${from}`).toBeDefined();
      const listed = [...row!.split("|")[2].matchAll(/`([\w]+)\/`/g)].map((m) => m[1]).sort();
      expect(listed, `docs/design.md §1 row of ${from}`).toEqual([...to].sort());
    }
  });
});
