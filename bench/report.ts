// Console tables and the JSON file of one benchmark run. Each section of the run returns a
// SectionResult; the file holds all of them.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";

export interface SectionResult {
  title: string;
  /** one console table row per line */
  rows: Record<string, string | number>[];
  /** everything worth keeping, written to the JSON file */
  data: unknown;
}

export function printSection(s: SectionResult): void {
  console.log(`\n${s.title}`);
  console.table(s.rows);
}

/** Writes bench/results/<timestamp>.json and returns its path. */
export function writeResults(sections: SectionResult[]): string {
  const startedAt = new Date().toISOString();
  const file = resolve(import.meta.dirname, "results", `${startedAt.replace(/[:.]/g, "-")}.json`);
  mkdirSync(resolve(file, ".."), { recursive: true });
  const env = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model };
  writeFileSync(file, JSON.stringify({ startedAt, env, sections }, null, 2) + "\n");
  return file;
}
