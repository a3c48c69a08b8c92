// The request as the pipeline sees it: its headers (pseudo headers included) and, once
// derived, its normalised URL. Lookups return the first value of a name, exact and
// case-sensitive, as the reference does.
import { Service } from "../config/types";
import { formValue } from "../url/form";
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

  /** the first value of query parameter `name` (`+` and %XX decoded), or null */
  queryParam(name: string): string | null {
    const url = this.url;
    const query = url ? url.query : null;
    return query != null ? formValue(query, name) : null;
  }
}
