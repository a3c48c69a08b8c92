// The authrep request (docs/backend-protocol.md §2). Every value and metric name is
// percent-encoded (defect D6), so a credential can never inject backend parameters; for the
// unreserved characters 3scale generates the result is byte-identical to the reference.
// The call's headers are built on first use: a request answered from the cache never needs them.
import { BackendConfig, Service } from "../config/types";
import { BackendLimits } from "../config/backend_limits";
import { Replies } from "../config/replies";
import { percentEncodeComponent } from "../url/form";
import { CredentialKind, ResolvedCredentials } from "./credentials";
import { Usages } from "./usages";
import { FailurePolicy } from "../config/failure_policy";
import { TransactionKey, transactionKey } from "../backend/transaction";
import { StringBuilder } from "../text/builder";
import { LIMIT_HEADERS_OPTION, OPTIONS_HEADER_VALUE, USER_AGENT } from "../backend/protocol";
import { appendTraceHeaders } from "./trace_context";
import { HeaderSource } from "./request";


export class AuthrepCall {
  /** the transaction key; with `backend.cache` (null: this request is not cached) */
  transaction: TransactionKey | null = null;
  private built: Array<string> | null = null;
  private credential: string;
  private appKey: string | null = null;
  /** the longest credential value, percent-encoded */
  private credentialBytes: i32;

  constructor(
    private backend: BackendConfig,
    public service: Service,
    private usages: Usages,
    creds: ResolvedCredentials,
    /** what the request gets when the backend cannot answer */
    public policy: FailurePolicy,
    /** the client request's headers, whose trace context the call carries; null: none */
    private traceSource: HeaderSource | null,
  ) {
    if (creds.kind == CredentialKind.UserKey) {
      const userKey = percentEncodeComponent(creds.userKey);
      this.credential = "user_key=" + userKey;
      this.credentialBytes = userKey.length;
    } else {
      const appId = percentEncodeComponent(creds.appId);
      const key = creds.appKey;
      const appKey = key != null ? percentEncodeComponent(key) : null;
      this.credential = "app_id=" + appId;
      this.credentialBytes = appKey != null ? max(appId.length, appKey.length) : appId.length;
      if (appKey != null) this.appKey = "app_key=" + appKey;
    }
    if (backend.cache != null) this.transaction = transactionKey(service.encodedId, this.credential, this.appKey, usageText(usages));
  }

  /**
   * the details of a local denial when the call is larger than `limits` allow (the backend would
   * refuse it or never answer), else null. Encoded values are ASCII: length is the byte count.
   */
  refusal(limits: BackendLimits): string | null {
    if (this.credentialBytes > limits.maxCredentialBytes) return "authrep_credential_too_large";
    if (this.queryBytes > limits.maxQueryBytes) return "authrep_query_too_large";
    return null;
  }

  get cluster(): string { return this.backend.upstream.name; }

  /** u64 config values above u32 are clamped: the host takes a u32 millisecond timeout */
  get timeoutMs(): u32 {
    const t = this.backend.upstream.timeoutMs;
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

  /** the length of the query `build` writes (after `?`), computed without building it */
  get queryBytes(): i32 {
    const service = this.service;
    const appKey = this.appKey;
    let n = SERVICE_ID.length + service.encodedId.length + SERVICE_TOKEN.length + service.encodedToken.length + 1 + this.credential.length;
    if (appKey != null) n += 1 + appKey.length;
    const u = this.usages;
    for (let i = 0; i < u.names.length; i++) n += USAGE_OPEN.length + u.encodedNames[i].length + USAGE_CLOSE.length + decimalLength(u.sums[i]);
    const extra = this.backend.upstream.url.query;
    if (extra != null) n += 1 + extra.length;
    return n;
  }

  private build(): Array<string> {
    const url = this.backend.upstream.url;
    const appKey = this.appKey;
    const path = new StringBuilder(url.basePath.length + AUTHREP_PATH.length + this.queryBytes).add(url.basePath).add(AUTHREP_PATH).add(SERVICE_ID).add(this.service.encodedId)
      .add(SERVICE_TOKEN).add(this.service.encodedToken).addCode(0x26).add(this.credential);
    if (appKey != null) path.addCode(0x26).add(appKey);
    const u = this.usages;
    for (let i = 0; i < u.names.length; i++) path.add(USAGE_OPEN).add(u.encodedNames[i]).add(USAGE_CLOSE).addInt(u.sums[i]);
    const extra = url.query;
    if (extra != null) path.addCode(0x26).add(extra);

    const headers = new Array<string>();
    headers.push(":authority"); headers.push(url.authority);
    headers.push(":scheme"); headers.push(url.scheme);
    headers.push(":method"); headers.push("GET");
    headers.push(":path"); headers.push(path.toString());
    headers.push("3scale-options"); headers.push(this.readsLimits ? OPTIONS_HEADER_VALUE + LIMIT_HEADERS_OPTION : OPTIONS_HEADER_VALUE);
    headers.push("User-Agent"); headers.push(USER_AGENT);
    const trace = this.traceSource;
    if (trace) appendTraceHeaders(trace, headers);
    return headers;
  }
}

const AUTHREP_PATH = "transactions/authrep.xml?";
const SERVICE_ID = "service_id=";
const SERVICE_TOKEN = "&service_token=";
const USAGE_OPEN = "&usage[";
const USAGE_CLOSE = "]=";

/** `policy` only matters to the answer; `requestHeaders` are the client's, for the trace context */
export function buildAuthrep(backend: BackendConfig, service: Service, creds: ResolvedCredentials, usages: Usages,
  policy: FailurePolicy, requestHeaders: HeaderSource): AuthrepCall {
  return new AuthrepCall(backend, service, usages, creds, policy, backend.propagateTraceContext ? requestHeaders : null);
}

/** characters of the decimal form of `n`, sign included (as `addInt` writes it) */
function decimalLength(n: i64): i32 {
  let digits = 1;
  // negate in u64: the magnitude of I64.MIN_VALUE does not fit an i64
  let m: u64 = n < 0 ? <u64>0 - <u64>n : <u64>n;
  while (m >= 10) { m /= 10; digits++; }
  return n < 0 ? digits + 1 : digits;
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
