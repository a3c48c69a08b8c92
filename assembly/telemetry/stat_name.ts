// A configured service id as one segment of a stat name. Envoy's stats_tags split names at dots
// and Prometheus keeps only [A-Za-z0-9_] in names: a 3scale id is digits, but a configuration may
// hold anything, so other characters become `_` and the length is capped.
import { StringBuilder } from "../text/builder";

/** longer ids are cut: a segment of a stat name, not a place for a document */
export const MAX_SEGMENT_CHARS = 64;

export function statSegment(id: string): string {
  const n = min(id.length, MAX_SEGMENT_CHARS);
  if (n == 0) return "_";
  const out = new StringBuilder(n);
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    const keep = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c == 0x2d;
    out.addCode(keep ? c : 0x5f);
  }
  return out.toString();
}
