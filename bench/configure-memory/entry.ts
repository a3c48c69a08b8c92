// Instrumented build for bench/configure-memory.ts: the phases of on_configure one at a time,
// with runtime/gc.ts counting every block allocated. Nothing is collected in between, as in
// on_configure, and every result is kept so that the counts add up like there.
import { allocatedBytes } from "../../assembly/runtime/gc";
import { parseJson } from "../../assembly/json/parse";
import { parseConfig } from "../../assembly/config/parse";
import { compilePattern } from "../../assembly/rules/pattern";

const kept = new Array<Object>();
let text = "";
let patternList = new Array<string>();

/** bytes allocated since the start (wrapping at 2^32: phases take differences) */
export function allocated(): u32 {
  return allocatedBytes();
}

/** the configuration text, decoded as on_configure does and kept for the next phases */
export function decode(bytes: ArrayBuffer): void {
  text = String.UTF8.decode(bytes);
  kept.push(text);
}

export function json(): void {
  kept.push(parseJson(text));
}

/** "" or the configuration's error */
export function config(): string {
  const result = parseConfig(text);
  kept.push(result);
  return result.error;
}

/** the patterns for `patterns`, handed over outside the counted phase */
export function setPatterns(list: Array<string>): void {
  patternList = list;
}

/** "" or the first pattern's error */
export function patterns(): string {
  for (let i = 0; i < patternList.length; i++) {
    const result = compilePattern(patternList[i]);
    if (!result.pattern) return result.error;
    kept.push(result);
  }
  return "";
}
