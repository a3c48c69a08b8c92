// Test surface of the regex engine and mapping-rule matching (JS strings in, plain values out).
// Each test file loads its own entry re-exporting this one, so that files running in parallel
// never write the same build output.
import { compileRegex } from "../../../assembly/regex/regex";
import { methodMatches, normalizeMethod } from "../../../assembly/rules/method";
import { CompiledPattern, compilePattern } from "../../../assembly/rules/pattern";

/** "" when `pattern` compiles, else its error. */
export function regexError(pattern: string): string {
  return compileRegex(pattern).error;
}

/** One '1'/'0' per subject, or "E" when `pattern` does not compile. */
export function regexMatches(pattern: string, subjects: Array<string>): string {
  const regex = compileRegex(pattern).regex;
  if (regex === null) return "E";
  let out = "";
  for (let i = 0; i < subjects.length; i++) out += regex.isMatch(subjects[i]) ? "1" : "0";
  return out;
}

let held: CompiledPattern | null = null;

/** Compiles and keeps a mapping-rule pattern for patternMatches; returns the error or "". */
export function patternCompile(pattern: string): string {
  const result = compilePattern(pattern);
  held = result.pattern;
  return result.error;
}

/** The held pattern against a request; `query` null when the target has no `?`. */
export function patternMatches(path: string, query: string | null): bool {
  const pattern = held;
  return pattern !== null && pattern.matches(path, query);
}

/** Runs the held pattern `times` times (for the constant-memory check); returns how many matched. */
export function patternRepeat(path: string, query: string | null, times: i32): i32 {
  const pattern = held;
  let matched = 0;
  if (pattern !== null) for (let i = 0; i < times; i++) if (pattern.matches(path, query)) matched++;
  return matched;
}

export function ruleMethodMatches(ruleMethod: string, requestMethod: string): bool {
  return methodMatches(normalizeMethod(ruleMethod), normalizeMethod(requestMethod));
}

export function upperMethod(method: string): string {
  return normalizeMethod(method);
}
