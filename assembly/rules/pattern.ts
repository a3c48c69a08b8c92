// A mapping rule's pattern, compiled once and matched against request paths and queries
// (docs/configuration.md §9.1).
import { Regex, compileRegex } from "../regex/regex";
import { PATH_VALUE_CLASS, replacePlaceholders } from "./placeholders";
import { compileQuery, queryMatches } from "./query";
import { collapseRequestPath, collapseSlashes } from "./slashes";

export class CompiledPattern {
  constructor(private path: Regex, private query: Array<Regex> | null) {}

  /** every path this pattern matches, once `/` runs are collapsed, starts with this text */
  get pathPrefix(): string {
    return this.path.literalPrefix;
  }

  /**
   * `path`: the normalised request path without its query; `query`: the raw text after the
   * first `?`, or null when the request target has no `?`.
   */
  matches(path: string, query: string | null): bool {
    if (!this.path.isMatch(collapseRequestPath(path))) return false;
    const elements = this.query;
    return elements === null || queryMatches(elements, query === null ? "" : query);
  }
}

export class PatternResult {
  constructor(public pattern: CompiledPattern | null, public error: string) {}
}

/**
 * Splits at the first `?`. The path part is regular-expression syntax once `/` runs are
 * collapsed and placeholders replaced, anchored at the start only. A query part (even empty)
 * adds query constraints.
 */
export function compilePattern(pattern: string): PatternResult {
  const question = pattern.indexOf("?");
  const pathPattern = question < 0 ? pattern : pattern.substring(0, question);
  const path = compileRegex(replacePlaceholders("\\A", collapseSlashes(pathPattern), PATH_VALUE_CLASS));
  const pathRegex = path.regex;
  if (pathRegex === null) return new PatternResult(null, "regex error: " + path.error);
  if (question < 0) return new PatternResult(new CompiledPattern(pathRegex, null), "");
  const query = compileQuery(pattern.substring(question + 1));
  if (query.elements === null) return new PatternResult(null, "regex error: " + query.error);
  return new PatternResult(new CompiledPattern(pathRegex, query.elements), "");
}
