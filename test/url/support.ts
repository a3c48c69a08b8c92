// Loads the URL test entry (test/as/url/url.ts) once per test file.
import { loadAsUnit } from "../support/as-unit";

export interface UrlUnit {
  /** [authority, path, query, "1" if a query exists else "0", target]; null when unparsable */
  normalize(scheme: string, authority: string, path: string): string[] | null;
  /** [error] or ["", scheme, authority, basePath, query, hasQuery, serialized] */
  upstream(text: string): string[];
  formDecodePairs(query: string): string[];
  percentEncodeComponent(value: string): string;
}

export function loadUrlUnit(): Promise<UrlUnit> {
  return loadAsUnit<UrlUnit>("test/as/url/url.ts");
}
