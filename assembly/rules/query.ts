// Query part of a mapping rule (docs/configuration.md §9.1).
import { Regex, compileRegex } from "../regex/regex";
import { isMetaCharacter } from "../regex/escape";
import { QUERY_VALUE_CLASS, placeholderSpans } from "./placeholders";
import { StringBuilder } from "../text/builder";

export class QueryResult {
  constructor(public elements: Array<Regex> | null, public error: string) {}
}

/**
 * One start-anchored expression per `&`-separated element of the query pattern: literal text
 * escaped, placeholders replaced by the value class (which has no `&`). An empty element
 * matches anything.
 */
export function compileQuery(pattern: string): QueryResult {
  const spans = placeholderSpans(pattern);
  const elements = new Array<Regex>();
  const source = new StringBuilder().add("\\A"); // the element so far
  let span = 0;
  let i = 0;
  while (i < pattern.length) {
    if (span < spans.length && i == spans[span]) {
      source.add(QUERY_VALUE_CLASS);
      i = spans[span + 1];
      span += 2;
      continue;
    }
    const c = pattern.charCodeAt(i++);
    if (c == 0x26) { // &: the element ends here
      const error = compileElement(source, elements);
      if (error.length > 0) return new QueryResult(null, error);
      source.clear().add("\\A");
    } else {
      if (isMetaCharacter(c)) source.addCode(0x5c);
      source.addCode(c);
    }
  }
  const error = compileElement(source, elements);
  return error.length > 0 ? new QueryResult(null, error) : new QueryResult(elements, "");
}

// compiles `source` into `elements`; its error, or ""
function compileElement(source: StringBuilder, elements: Array<Regex>): string {
  const compiled = compileRegex(source.toString());
  const regex = compiled.regex;
  if (regex === null) return compiled.error;
  elements.push(regex);
  return "";
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
