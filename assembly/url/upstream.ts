// `upstream.url` of configuration §3: an absolute URL with an authority whose path is used as
// a directory prefix for calls (authorization-flow §5.2).
import { parseUrl } from "./parser";

export class UpstreamUrl {
  constructor(
    public scheme: string,
    /** WHATWG-normalised `userinfo@host:port` (default port dropped) */
    public authority: string,
    /** URL path with a `/` appended when missing */
    public basePath: string,
    /** query without `?`; null when the URL has no `?` ("" for a bare `?`) */
    public query: string | null,
    /** the URL rebuilt from the fields above, e.g. "https://h:8080/base/?x=1" */
    public serialized: string,
  ) {}
}

export class UpstreamUrlResult {
  constructor(public url: UpstreamUrl | null, public error: string) {}
}

export function parseUpstreamUrl(text: string): UpstreamUrlResult {
  const url = parseUrl(text);
  if (url.error.length > 0) return new UpstreamUrlResult(null, url.error);
  if (url.host === null) return new UpstreamUrlResult(null, "url does not contain an authority");
  const basePath = url.path.endsWith("/") ? url.path : url.path + "/";
  const authority = url.authority();
  const query = url.query;
  const serialized = url.scheme + "://" + authority + basePath + (query === null ? "" : "?" + query);
  return new UpstreamUrlResult(new UpstreamUrl(url.scheme, authority, basePath, query, serialized), "");
}
