// Test entry: flattens the URL module's results into string arrays for the JS side.
import { normalizeRequestUrl } from "../../../assembly/url/request";
import { parseUpstreamUrl } from "../../../assembly/url/upstream";
import { FormCursor } from "../../../assembly/url/form";
export { formValue, percentEncodeComponent } from "../../../assembly/url/form";

/** every pair the cursor visits, as [name0, value0, name1, value1, ...] */
export function formDecodePairs(query: string): Array<string> {
  const pairs = new Array<string>();
  const cursor = new FormCursor(query);
  while (cursor.next()) {
    pairs.push(cursor.name());
    pairs.push(cursor.value());
  }
  return pairs;
}

/** [authority, path, query ("" when absent), "1" when a query exists else "0", target]; null = unparsable */
export function normalize(scheme: string, authority: string, path: string): Array<string> | null {
  const url = normalizeRequestUrl(scheme, authority, path);
  if (url === null) return null;
  const query = url.query;
  return [url.authority, url.path, query === null ? "" : query, query === null ? "0" : "1", url.target];
}

/** [error] on failure, else ["", scheme, authority, basePath, query, hasQuery, serialized] */
export function upstream(text: string): Array<string> {
  const result = parseUpstreamUrl(text);
  const url = result.url;
  if (url === null) return [result.error];
  const query = url.query;
  return ["", url.scheme, url.authority, url.basePath, query === null ? "" : query, query === null ? "0" : "1", url.serialized];
}
