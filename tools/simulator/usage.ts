// Usage parameters (tools/simulator/README.md): `usage[<metric>]` values are deltas or `#n` sets, and
// deltas flow up the metric hierarchy unless the caller asked for flat usage.
import { errors } from "./errors";
import { isHash, type Param, type ParamHash } from "./query";
import type { Service, SimState, UsageValue } from "./state";

export type Usage = Map<string, UsageValue>;

const VALID_VALUE = /^[ \t\r\n\f\v]*(#?)(\d+)[ \t\r\n\f\v]*$/;

/** Metric names of a `usage` hash, trimmed, in request order. */
export function usageMetricNames(raw: ParamHash | undefined): string[] {
  return raw ? [...raw.keys()].map((name) => name.trim()) : [];
}

/**
 * Validates and converts `usage` entry by entry, as apisonator does: a bad value (403) or an
 * unknown metric (404) fails on the first offending entry. The result is not hierarchy-expanded.
 */
export function parseUsage(state: SimState, service: Service, raw: ParamHash | undefined): Usage {
  const usage: Usage = new Map();
  for (const [rawName, rawValue] of raw ?? []) {
    const name = rawName.trim();
    const match = typeof rawValue === "string" ? VALID_VALUE.exec(rawValue) : null;
    if (!match) throw errors.usageValueInvalid(name, typeof rawValue === "string" ? rawValue : undefined);
    if (!state.metric(service, name)) throw errors.metricInvalid(name);
    usage.set(name, { set: match[1] === "#", value: Number(match[2]) });
  }
  return usage;
}

/** Throws metric_invalid for the first metric in `names` the service lacks. */
export function resolveMetrics(state: SimState, service: Service, names: string[]): void {
  for (const name of names) {
    if (!state.metric(service, name)) throw errors.metricInvalid(name);
  }
}

/**
 * Adds each entry to every ancestor: a delta adds up (also with an explicit parent entry), a
 * set is propagated as a set. Like apisonator, a delta landing on an ancestor that holds a set
 * replaces it (Ruby's `"#5".to_i` is 0).
 */
export function withHierarchy(state: SimState, service: Service, usage: Usage): Usage {
  const expanded: Usage = new Map(usage);
  for (const [name, own] of usage) {
    for (const ancestor of state.ancestors(service, name)) {
      const current = expanded.get(ancestor);
      expanded.set(ancestor, own.set ? own : { set: false, value: (current && !current.set ? current.value : 0) + own.value });
    }
  }
  return expanded;
}

/** Applies a usage value to a counter value. */
export function applyValue(current: number, entry: UsageValue | undefined): number {
  if (!entry) return current;
  return entry.set ? entry.value : current + entry.value;
}

/**
 * The value a metric reaches from `start` when the request's own (flat) usage of it and of its
 * descendants is applied in turn — apisonator's computation for report values and limit headers.
 */
export function foldUsage(state: SimState, service: Service, usage: Usage, metric: string, start: number): number {
  return [metric, ...state.descendants(service, metric)].reduce((acc, name) => applyValue(acc, usage.get(name)), start);
}

/** `usage` may be absent (or valueless) or a hash; anything else is rejected with an empty 403. */
export function usageParam(value: Param | undefined): ParamHash | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isHash(value)) throw errors.usageNotAHash();
  return value;
}

/** What gets recorded: zero deltas are dropped (a `#0` set is kept). */
export function withoutZeroDeltas(usage: Usage): Usage {
  return new Map([...usage].filter(([, entry]) => entry.set || entry.value !== 0));
}
