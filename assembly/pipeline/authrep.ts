// The authrep request (docs/backend-protocol.md §2). Every value and metric name is
// percent-encoded (defect D6), so a credential can never inject backend parameters; for the
// unreserved characters 3scale generates the result is byte-identical to the reference.
// The call's headers are built on first use: a request answered from the cache never needs them.
import { Service, Upstream } from "../config/types";
import { Replies } from "../config/replies";
import { percentEncodeComponent } from "../url/form";
import { CredentialKind, ResolvedCredentials } from "./credentials";
import { Usages } from "./usages";
import { FailurePolicy } from "../config/failure_policy";
import { TransactionKey, transactionKey } from "../backend/transaction";
import { StringBuilder } from "../text/builder";
import { LIMIT_HEADERS_OPTION, OPTIONS_HEADER_VALUE, USER_AGENT } from "../backend/protocol";


export class AuthrepCall {
  /** the transaction key; with `backend.cache` (null: this request is not cached) */
  transaction: TransactionKey | null = null;
  private built: Array<string> | null = null;
  private credential: string;
  private appKey: string | null = null;

  constructor(
    private upstream: Upstream,
    private service: Service,
    private token: string,
    private usages: Usages,
    creds: ResolvedCredentials,
    /** what the request gets when the backend cannot answer */
    public policy: FailurePolicy,
    cached: bool,
  ) {
    if (creds.kind == CredentialKind.UserKey) {
      this.credential = "user_key=" + percentEncodeComponent(creds.userKey);
    } else {
      this.credential = "app_id=" + percentEncodeComponent(creds.appId);
      const key = creds.appKey;
      if (key != null) this.appKey = "app_key=" + percentEncodeComponent(key);
    }
    if (cached) this.transaction = transactionKey(service.encodedId, this.credential, this.appKey, usageText(usages));
  }

  get cluster(): string { return this.upstream.name; }

  /** u64 config values above u32 are clamped: the host takes a u32 millisecond timeout */
  get timeoutMs(): u32 {
    const t = this.upstream.timeoutMs;
    return t > <u64>U32.MAX_VALUE ? U32.MAX_VALUE : <u32>t;
  }

  /** the service's replies, for the answer */
  get replies(): Replies { return this.service.replies; }

  /** whether the client gets rate-limit headers */
  get limitHeaders(): bool { return this.service.rateLimitHeaders; }

  /** limit headers are read for the client and, with the cache, to know when a denial lifts */
  get readsLimits(): bool { return this.limitHeaders || this.transaction != null; }

  get headers(): Array<string> {
    let h = this.built;
    if (!h) this.built = h = this.build();
    return h;
  }

  get path(): string {
    const h = this.headers;
    for (let i = 0; i + 1 < h.length; i += 2) if (h[i] == ":path") return h[i + 1];
    return "";
  }

  private build(): Array<string> {
    const url = this.upstream.url;
    const appKey = this.appKey;
    // room for the credentials up front: they can be most of the path
    const path = new StringBuilder(this.credential.length + (appKey != null ? appKey.length : 0) + 256).add(url.basePath).add("transactions/authrep.xml?service_id=").add(this.service.encodedId)
      .add("&service_token=").add(percentEncodeComponent(this.token)).addCode(0x26).add(this.credential);
    if (appKey != null) path.addCode(0x26).add(appKey);
    const u = this.usages;
    for (let i = 0; i < u.names.length; i++) path.add("&usage[").add(u.encodedNames[i]).add("]=").addInt(u.sums[i]);
    const extra = url.query;
    if (extra != null) path.addCode(0x26).add(extra);

    const headers = new Array<string>();
    headers.push(":authority"); headers.push(url.authority);
    headers.push(":scheme"); headers.push(url.scheme);
    headers.push(":method"); headers.push("GET");
    headers.push(":path"); headers.push(path.toString());
    headers.push("3scale-options"); headers.push(this.readsLimits ? OPTIONS_HEADER_VALUE + LIMIT_HEADERS_OPTION : OPTIONS_HEADER_VALUE);
    headers.push("User-Agent"); headers.push(USER_AGENT);
    return headers;
  }
}

/** `policy` and `cached` (whether `backend.cache` is on) only matter to the answer */
export function buildAuthrep(upstream: Upstream, service: Service, token: string, creds: ResolvedCredentials, usages: Usages,
  policy: FailurePolicy = FailurePolicy.closed(), cached: bool = false): AuthrepCall {
  return new AuthrepCall(upstream, service, token, usages, creds, policy, cached);
}

/** "<metric>=<delta>&…", the usage part of a transaction key */
function usageText(u: Usages): string {
  const s = new StringBuilder();
  for (let i = 0; i < u.names.length; i++) {
    if (i > 0) s.addCode(0x26);
    s.add(u.encodedNames[i]).addCode(0x3d).addInt(u.sums[i]);
  }
  return s.toString();
}
