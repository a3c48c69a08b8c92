// What the hostile-size suite asserts, in one place: the Wasm memory bound as a function of the
// configuration and the largest single input, the CPU growth allowed when an input doubles, and
// the sizes of the short (CI) and full (`npm run hostile`) runs.

export { BYTES_PER_DOCUMENT_BYTE, BYTES_PER_INPUT_BYTE, PAGE_BYTES, pagesBound, SLACK_PAGES } from "../../tools/memory/bound";

/** time(2n) / time(n) at most this: linear work with room for noise, quadratic work (×4) fails */
export const MAX_TIME_RATIO = 2.5;

/** `HOSTILE_FULL=1` (npm run hostile): 1 MiB headers, more sizes, a portal document at the 4 MiB cap */
export const FULL = process.env.HOSTILE_FULL === "1";

const KIB = 1024;
/** Envoy's default `max_request_headers_kb` (60), the total of all request header names and values */
export const DEFAULT_HEADERS_BYTES = 60 * KIB;
/** the raised limit of the full run */
export const RAISED_HEADERS_BYTES = 1024 * KIB;
/** room left under a header limit for the pseudo headers and the headers every request carries */
export const HEADER_MARGIN_BYTES = 2 * KIB;

/** the n of the time(2n)/time(n) pairs: 2n fits under the default limit; the full run adds larger ones */
export const TIMING_SIZES = FULL ? [24 * KIB, 240 * KIB, 480 * KIB] : [24 * KIB];

/** the module's portal document cap (assembly/system/answer.ts) */
export const PORTAL_CAP_BYTES = 4 * 1024 * KIB;
/** the portal document of the run: at the cap in the full run */
export const PORTAL_BYTES = FULL ? PORTAL_CAP_BYTES - 64 * KIB : 512 * KIB;

/** distinct credentials in one report interval */
export const CREDENTIALS = 10_000;

/** the largest `POST /transactions.xml` body (one credential per call, continued past 256 KiB) */
export const REPORT_BODY_CAP_BYTES = 256 * KIB;

/** usage entries one report callback takes, each at most one call (assembly/cache/reporter.ts) */
const ENTRIES_PER_REPORT_STEP = 1000;

/**
 * The largest input of a report callback: the calls it plans from the usage entries it takes,
 * at most the bodies of the 1,000 largest calls (one call per credential).
 */
export function reportInputBytes(bodies: number[]): number {
  return [...bodies].sort((a, b) => b - a).slice(0, ENTRIES_PER_REPORT_STEP).reduce((n, b) => n + b, 0);
}

/**
 * time(2n) / time(n) from `measure(size)` (one run's cost in any unit), the minimum of `repeats`
 * runs of each size, interleaved so that load changes hit both alike; retried once when above
 * the limit, so one burst of load on a shared box does not fail the suite.
 */
export async function timeRatio(n: number, measure: (size: number) => Promise<number>, repeats = 5): Promise<{ ratio: number; small: number; large: number }> {
  let result = { ratio: Infinity, small: 0, large: 0 };
  for (let attempt = 0; attempt < 2 && result.ratio > MAX_TIME_RATIO; attempt++) {
    await measure(2 * n); // warm-up: memory grown, code compiled
    let small = Infinity;
    let large = Infinity;
    for (let i = 0; i < repeats; i++) {
      small = Math.min(small, await measure(n));
      large = Math.min(large, await measure(2 * n));
    }
    result = { ratio: large / small, small, large };
  }
  return result;
}
