// The request as the pipeline sees it: its headers (pseudo headers included) and, once
// derived, its normalised URL. Lookups return the first value of a name, exact and
// case-sensitive, as the reference does.
import { Service } from "../config/types";
import { formDecodePairs, isPlainForm, plainFormValue } from "../url/form";
import { RequestUrl } from "../url/request";
import { JsonValue } from "../json/value";
import { MetadataSource } from "./metadata";
import { TraceSource } from "../backend/trace_context";

/**
 * where a request's headers come from: the first value of a name, exact and case-sensitive;
 * the authrep call reads its trace headers from the same source
 */
export abstract class HeaderSource extends TraceSource {}

/** headers as flat [name, value, ...] pairs in host order */
export class HeaderPairs extends HeaderSource {
  constructor(private pairs: Array<string>) { super(); }

  get(name: string): string | null {
    const h = this.pairs;
    for (let i = 0; i + 1 < h.length; i += 2) {
      if (h[i] == name) return h[i + 1];
    }
    return null;
  }
}

export class Request {
  url: RequestUrl | null = null;
  method: string = "";
  /** the service the request selected, once it did */
  service: Service | null = null;
  /** form-decoded query pairs, decoded on first use, and only for a query that needs decoding */
  private queryPairs: Array<string> | null = null;
  /** 0: not looked at yet; 1: nothing to decode (`isPlainForm`); 2: to decode */
  private plainQuery: u8 = 0;
  /** filter metadata, fetched and decoded on first use */
  private metadataValue: JsonValue | null = null;
  private metadataLoaded: bool = false;

  constructor(private headers: HeaderSource, private metadataSource: MetadataSource | null = null) {}

  /** namespace → Struct of the request's dynamic metadata, or null when there is none */
  filterMetadata(): JsonValue | null {
    if (!this.metadataLoaded) {
      this.metadataLoaded = true;
      const source = this.metadataSource;
      this.metadataValue = source ? source.load() : null;
    }
    return this.metadataValue;
  }

  header(name: string): string | null {
    return this.headers.get(name);
  }

  /**
   * the form-decoded value of the query's first parameter named `name`, or null; a query with
   * nothing to decode (the usual one) is searched in place, without decoding every pair
   */
  queryValue(name: string): string | null {
    const url = this.url;
    const query = url ? url.query : null;
    if (query == null) return null;
    if (this.plainQuery == 0) this.plainQuery = isPlainForm(query) ? 1 : 2;
    if (this.plainQuery == 1) return plainFormValue(query, name);
    let pairs = this.queryPairs;
    if (!pairs) this.queryPairs = pairs = formDecodePairs(query);
    for (let j = 0; j + 1 < pairs.length; j += 2) if (pairs[j] == name) return pairs[j + 1];
    return null;
  }
}
