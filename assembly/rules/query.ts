// Query part of a mapping rule (docs/configuration.md §9.1).
import { Regex, compileRegex, escapeRegex } from "../regex/regex";
import { QUERY_VALUE_CLASS, splitAroundPlaceholders } from "./placeholders";
import { joinStrings } from "../text/builder";

export class QueryResult {
  constructor(public elements: Array<Regex> | null, public error: string) {}
}

/**
 * One start-anchored expression per `&`-separated element of the query pattern: literal text
 * escaped, placeholders replaced by the value class. An empty element matches anything.
 */
export function compileQuery(pattern: string): QueryResult {
  const pieces = splitAroundPlaceholders(pattern);
  for (let i = 0; i < pieces.length; i++) pieces[i] = escapeAroundAmpersands(pieces[i]);
  const sources = joinStrings(pieces, QUERY_VALUE_CLASS).split("&");
  const elements = new Array<Regex>();
  for (let i = 0; i < sources.length; i++) {
    const compiled = compileRegex("\\A" + sources[i]);
    const regex = compiled.regex;
    if (regex === null) return new QueryResult(null, compiled.error);
    elements.push(regex);
  }
  return new QueryResult(elements, "");
}

// `&` itself stays unescaped: it is where the elements are split afterwards.
function escapeAroundAmpersands(literal: string): string {
  const parts = literal.split("&");
  for (let i = 0; i < parts.length; i++) parts[i] = escapeRegex(parts[i]);
  return joinStrings(parts, "&");
}

// The raw request query split on `&`, as [start, end) offsets, cached for the last query seen
// (every rule of a request looks at the same one), plus which elements a rule already consumed.
// Initially the split of the empty query: one empty element.
let lastQuery = "";
let bounds: Array<i32> = [0, 0];
let consumed: Array<bool> = [false];

function splitQuery(query: string): void {
  lastQuery = query;
  bounds.length = 0;
  let start = 0;
  for (let i = 0; i <= query.length; i++) {
    if (i == query.length || query.charCodeAt(i) == 0x26) {
      bounds.push(start);
      bounds.push(i);
      start = i + 1;
    }
  }
  consumed.length = bounds.length >> 1;
}

/**
 * Each pattern element, in order, takes the first request element it matches that no earlier
 * pattern element took; the rule fails when one finds none. No backtracking (greedy, like the
 * reference). `query` is "" when the request has none: one empty element.
 */
export function queryMatches(elements: Array<Regex>, query: string): bool {
  if (query != lastQuery) splitQuery(query);
  const count = consumed.length;
  for (let i = 0; i < count; i++) consumed[i] = false;
  for (let e = 0; e < elements.length; e++) {
    let taken = false;
    for (let i = 0; i < count && !taken; i++) {
      if (!consumed[i] && elements[e].matchRange(query, bounds[i << 1], bounds[(i << 1) + 1])) {
        consumed[i] = true;
        taken = true;
      }
    }
    if (!taken) return false;
  }
  return true;
}
