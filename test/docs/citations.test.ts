// Every document cited in code, tests, tools, examples and docs must be in the repository, so a
// reader can follow it. A citation is a file name with the markdown extension (optionally with a path, a `#anchor`, or
// `§` section numbers right after it). It resolves relative to the citing file's folder or to
// the repository root. A `§n.m` reference must name a numbered heading of the cited file
// (`## n.` / `### n.m …`); an `#anchor` must be the slug of one of its headings.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const SCANNED = ["assembly/", "tools/", "bin/", "bench/", "test/", "docs/", "examples/", "README.md"];
const TEXT = /\.(ts|js|mjs|cjs|json|md|ya?ml|py|sh|txt)$/;

// a file name ending in the markdown extension, with an optional path before it
const CITATION = /(?<![\w./-])((?:\.{1,2}\/)?[\w-]+(?:[./][\w-]+)*)\.md(?:#([\w-]+))?(?![\w-])/g;
// `§` numbers directly after a citation: "x §3", "x (§8.1)", "x §2.2–§2.3", "x §8, §9.1", "[x](x) §3"
const SECTIONS = /^[\s)]*\(?\s*(§\s?[\dA-Z][\w.]*(?:\s*(?:,|–|-|and)\s*§\s?[\dA-Z][\w.]*)*)/;

interface Citation { where: string; cited: string; section: string | null; anchor: string | null; target: string | null }

function trackedFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", ...SCANNED], { cwd: root, encoding: "utf8" });
  return out.split("\0").filter((f) => f.length > 0 && TEXT.test(f) && existsSync(join(root, f)));
}

function resolveCited(fromFile: string, cited: string): string | null {
  for (const base of [dirname(fromFile), "."]) {
    const candidate = normalize(join(base, cited));
    if (!candidate.startsWith("..") && existsSync(join(root, candidate))) return relative(".", candidate);
  }
  return null;
}

function citationsIn(file: string): Citation[] {
  const found: Citation[] = [];
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  lines.forEach((raw, i) => {
    const line = raw.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, " "); // URLs point outside the repository
    for (const m of line.matchAll(CITATION)) {
      const cited = `${m[1]}.md`;
      const after = SECTIONS.exec(line.slice(m.index + m[0].length));
      found.push({
        where: `${file}:${i + 1}`,
        cited,
        section: after ? after[1] : null,
        anchor: m[2] ?? null,
        target: resolveCited(file, cited),
      });
    }
  });
  return found;
}

function headingsOf(file: string): string[] {
  return readFileSync(join(root, file), "utf8").split("\n").filter((l) => /^#{1,6}\s/.test(l)).map((l) => l.replace(/^#+\s+/, "").trim());
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

function sectionIds(list: string): string[] {
  return [...list.matchAll(/§\s?([\dA-Z][\w.]*)/g)].map((m) => m[1].replace(/\.$/, ""));
}

function hasSection(headings: string[], id: string): boolean {
  return headings.some((h) => h.startsWith(`${id}.`) || h.startsWith(`${id} `) || h === id || h.startsWith(`§${id} `) || h.startsWith(`§${id}.`));
}

const all = trackedFiles().flatMap(citationsIn);

describe("citations of documents", () => {
  it("finds citations to check (the scan works)", () => {
    expect(all.some((c) => c.target === "README.md" || c.target?.startsWith("docs/"))).toBe(true);
  });

  it("cites only files that are in the repository", () => {
    const missing = all.filter((c) => c.target === null).map((c) => `${c.where}: ${c.cited}${c.section ? ` ${c.section}` : ""}`);
    expect(missing, `cited documents that do not exist (${missing.length}):\n${missing.join("\n")}`).toEqual([]);
  });

  it("cites only sections and anchors that the cited file has", () => {
    const bad: string[] = [];
    for (const c of all) {
      if (c.target === null || !c.target.endsWith(".md")) continue;
      const headings = headingsOf(c.target);
      if (c.anchor !== null && !headings.some((h) => slug(h) === c.anchor)) bad.push(`${c.where}: ${c.cited}#${c.anchor}`);
      for (const id of c.section ? sectionIds(c.section) : []) {
        if (!hasSection(headings, id)) bad.push(`${c.where}: ${c.cited} §${id}`);
      }
    }
    expect(bad, `sections not found in the cited file (${bad.length}):\n${bad.join("\n")}`).toEqual([]);
  });
});
