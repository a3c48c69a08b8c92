// The request URL of authorization-flow §2.1: `scheme://authority` + `:path` parsed with
// WHATWG rules, giving the normalised authority (configuration §7.2), path, query and the
// mapping-rule matcher target.
import { parseUrl } from "./parser";
import { plainRequestPathEnd } from "./plain";

export class RequestUrl {
  constructor(
    /** `userinfo@host:port`, host lower-cased/IDNA/IPv4-canonical, default port dropped */
    public authority: string,
    /** normalised path, percent-encoded; fragment dropped */
    public path: string,
    /** text after the first `?` (encoded), null when there is no `?` */
    public query: string | null,
    /** path, then `?` + query when a query exists (even an empty one) */
    public target: string,
  ) {}
}

/** null when the URL does not parse (the request is then answered 403). */
export function normalizeRequestUrl(scheme: string, authority: string, path: string): RequestUrl | null {
  const pathEnd = plainRequestPathEnd(scheme, authority, path);
  if (pathEnd == path.length) return new RequestUrl(authority, path, null, path);
  if (pathEnd >= 0) return new RequestUrl(authority, path.substring(0, pathEnd), path.substring(pathEnd + 1), path);
  const url = parseUrl(scheme + "://" + authority + path);
  if (url.error.length > 0) return null;
  const query = url.query;
  const target = query === null ? url.path : url.path + "?" + query;
  return new RequestUrl(url.authority(), url.path, query, target);
}
