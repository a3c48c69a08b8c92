// The authrep request (authorization-flow.md §5). Every value and metric name is
// percent-encoded (defect D6), so a credential can never inject backend parameters; for the
// unreserved characters 3scale generates the result is byte-identical to the reference.
import { Service, Upstream } from "../config/types";
import { Replies } from "../config/replies";
import { percentEncodeComponent } from "../url/form";
import { CredentialKind, ResolvedCredentials } from "./credentials";
import { Usages } from "./usages";

export const OPTIONS_HEADER_VALUE = "no_body=1&rejection_reason_header=1";
/** with the service's `rate_limit_headers` (backend-api.md A.9) */
export const LIMIT_HEADERS_OPTION = "&limit_headers=1";
export const USER_AGENT = "threescalers/0.8.0";

export class AuthrepCall {
  constructor(
    public cluster: string,
    public timeoutMs: u32,
    public headers: Array<string>,
    /** what the answer needs: the service's replies and whether limit headers were asked for */
    public replies: Replies,
    public limitHeaders: bool,
  ) {}

  get path(): string {
    const h = this.headers;
    for (let i = 0; i + 1 < h.length; i += 2) if (h[i] == ":path") return h[i + 1];
    return "";
  }
}

export function buildAuthrep(upstream: Upstream, service: Service, token: string, creds: ResolvedCredentials, usages: Usages): AuthrepCall {
  const params = new Array<string>();
  params.push("service_id=" + percentEncodeComponent(service.id));
  params.push("service_token=" + percentEncodeComponent(token));
  if (creds.kind == CredentialKind.UserKey) {
    params.push("user_key=" + percentEncodeComponent(creds.userKey));
  } else {
    params.push("app_id=" + percentEncodeComponent(creds.appId));
    const key = creds.appKey;
    if (key != null) params.push("app_key=" + percentEncodeComponent(key));
  }
  for (let i = 0; i < usages.names.length; i++) {
    params.push("usage[" + percentEncodeComponent(usages.names[i]) + "]=" + usages.sums[i].toString());
  }
  const url = upstream.url;
  let path = url.basePath + "transactions/authrep.xml?" + params.join("&");
  const query = url.query;
  if (query != null) path += "&" + query;

  const headers = new Array<string>();
  headers.push(":authority"); headers.push(url.authority);
  headers.push(":scheme"); headers.push(url.scheme);
  headers.push(":method"); headers.push("GET");
  headers.push(":path"); headers.push(path);
  headers.push("3scale-options"); headers.push(service.rateLimitHeaders ? OPTIONS_HEADER_VALUE + LIMIT_HEADERS_OPTION : OPTIONS_HEADER_VALUE);
  headers.push("User-Agent"); headers.push(USER_AGENT);
  // u64 config values above u32 are clamped: the host takes a u32 millisecond timeout
  const timeout = upstream.timeoutMs > <u64>U32.MAX_VALUE ? U32.MAX_VALUE : <u32>upstream.timeoutMs;
  return new AuthrepCall(upstream.name, timeout, headers, service.replies, service.rateLimitHeaders);
}
