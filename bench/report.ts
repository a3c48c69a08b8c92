// Console tables and the JSON file of one benchmark run. Each section of the run returns a
// SectionResult; the file holds all of them.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";

export interface SectionResult {
  /** the runner's name for it (`--only`), set by bench/run.ts */
  section?: string;
  /** set by bench/run.ts: share of all CPUs busy (0–1, Linux) in the idle second before the section, load averages after it */
  machine?: { othersCpuBusyBefore?: number; loadavgAfter: number[] };
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

export interface ResultsFileOptions {
  /** default bench/results */
  dir?: string;
  /** default now; also names the file */
  startedAt?: Date;
  /** the run's command-line options, kept beside the sections */
  options?: unknown;
}

/**
 * Writes <dir>/<startedAt>.json and returns its path. The runner calls it after every section
 * with the same `startedAt`, so a long run that fails late keeps what it measured.
 */
export function writeResults(sections: SectionResult[], o: ResultsFileOptions = {}): string {
  const startedAt = (o.startedAt ?? new Date()).toISOString();
  const file = resolve(o.dir ?? resolve(import.meta.dirname, "results"), `${startedAt.replace(/[:.]/g, "-")}.json`);
  mkdirSync(resolve(file, ".."), { recursive: true });
  const env = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model };
  writeFileSync(file, JSON.stringify({ startedAt, env, ...(o.options !== undefined && { options: o.options }), sections }, null, 2) + "\n");
  return file;
}
