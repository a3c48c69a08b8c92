// Loads a mapping-rules unit entry (test/as/rules/<name>.ts) and computes request targets.
import { loadAsUnit } from "../support/as-unit";

export interface RulesUnit {
  /** "" when `pattern` compiles as a regular expression, else the error */
  regexError(pattern: string): string;
  /** "E" when `pattern` does not compile, else one "1"/"0" per subject (unanchored search) */
  regexMatches(pattern: string, subjects: string[]): string;
  /** compiles and holds a mapping-rule pattern; "" or the error */
  patternCompile(pattern: string): string;
  /** the held pattern against a normalised path and raw query (null: the target has no `?`) */
  patternMatches(path: string, query: string | null): boolean;
  /** patternMatches `times` times; how many matched */
  patternRepeat(path: string, query: string | null, times: number): number;
  ruleMethodMatches(ruleMethod: string, requestMethod: string): boolean;
  upperMethod(method: string): string;
  memory: WebAssembly.Memory;
}

export function loadRules(name: string): Promise<RulesUnit> {
  return loadAsUnit<RulesUnit>(`test/as/rules/${name}.ts`, {
    env: { abort: (_m: number, _f: number, line: number, col: number) => { throw new Error(`AS abort at ${line}:${col}`); } },
  });
}

/**
 * The matcher target of a raw `:path` (docs/decision.md §2 steps 4-6) as WHATWG URL
 * parsing gives it: path, and query (null when there is no `?` before any `#`).
 */
export function requestTarget(rawPath: string): { path: string; query: string | null } {
  const url = new URL("https://example.com" + rawPath);
  const hash = rawPath.indexOf("#");
  const hasQuery = (hash < 0 ? rawPath : rawPath.slice(0, hash)).includes("?");
  return { path: url.pathname, query: hasQuery ? url.search.slice(1) : null };
}

/** Splits an already normalised matcher target at its first `?`. */
export function splitTarget(target: string): { path: string; query: string | null } {
  const question = target.indexOf("?");
  return question < 0 ? { path: target, query: null } : { path: target.slice(0, question), query: target.slice(question + 1) };
}

/** Compiles `pattern` (which must be valid) and matches it against a normalised target. */
export function matchesTarget(m: RulesUnit, pattern: string, target: string): boolean {
  const error = m.patternCompile(pattern);
  if (error !== "") throw new Error(`${pattern}: ${error}`);
  const { path, query } = splitTarget(target);
  return m.patternMatches(path, query);
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
