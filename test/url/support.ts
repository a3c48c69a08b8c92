// Loads the URL test entry (test/as/url/url.ts) once per test file.
import { loadAsUnit } from "../support/as-unit";

export interface UrlUnit {
  /** [authority, path, query, "1" if a query exists else "0", target]; null when unparsable */
  normalize(scheme: string, authority: string, path: string): string[] | null;
  /** [error] or ["", scheme, authority, basePath, query, hasQuery, serialized] */
  upstream(text: string): string[];
  /** every pair of the query, as the module's cursor visits them */
  formDecodePairs(query: string): string[];
  /** the value of the first pair named `name`, or null */
  formValue(query: string, name: string): string | null;
  percentEncodeComponent(value: string): string;
}

export function loadUrlUnit(): Promise<UrlUnit> {
  return loadAsUnit<UrlUnit>("test/as/url/url.ts");
}
