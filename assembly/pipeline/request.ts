// The request as the pipeline sees it: header pairs in host order (pseudo headers included)
// and, once derived, its normalised URL. Lookups return the first value of a name, exact and
// case-sensitive, as the reference does.
import { formDecodePairs } from "../url/form";
import { RequestUrl } from "../url/request";

export class Request {
  url: RequestUrl | null = null;
  method: string = "";
  /** form-decoded query pairs, decoded on first use: most requests never need them */
  private queryPairs: Array<string> | null = null;

  constructor(public headers: Array<string>) {}

  header(name: string): string | null {
    const h = this.headers;
    for (let i = 0; i + 1 < h.length; i += 2) {
      if (h[i] == name) return h[i + 1];
    }
    return null;
  }

  /** flat [name, value, ...] of the normalised query, `+` and %XX decoded */
  queryParams(): Array<string> {
    const cached = this.queryPairs;
    if (cached) return cached;
    const url = this.url;
    const query = url ? url.query : null;
    const pairs = query != null ? formDecodePairs(query) : new Array<string>();
    this.queryPairs = pairs;
    return pairs;
  }
}
