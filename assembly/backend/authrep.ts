// The authrep request (docs/backend-protocol.md §2). Every value and metric name is
// percent-encoded (defect D6), so a credential can never inject backend parameters; for the
// unreserved characters 3scale generates the result is byte-identical to the reference.
// The call's headers are built on first use: a request answered from the cache never needs them.
import { BackendConfig, Service, Usages } from "../config/types";
import { BackendLimits } from "../config/backend_limits";
import { percentEncodeComponent } from "../url/form";
import { StringBuilder } from "../text/builder";
import { decimalLength } from "../text/decimal";
import { APP_ID, APP_KEY, TransactionKey, USER_KEY, transactionKey } from "./transaction";
import { AUTHREP_PATH, LIMIT_HEADERS_OPTION, OPTIONS_HEADER_VALUE, USER_AGENT } from "./protocol";
import { TraceSource, appendTraceHeaders } from "./trace_context";

export class AuthrepRequest {
  /** the transaction key; with `backend.cache` (null: this request is not cached) */
  transaction: TransactionKey | null = null;
  private built: Array<string> | null = null;
  /** USER_KEY or APP_ID */
  private credentialName: string;
  /** the user key or app id, percent-encoded */
  private credentialValue: string;
  /** percent-encoded; null: none */
  private appKey: string | null = null;

  /**
   * `userKey`: `id` is a user key, else an app id (with `appKey`, or null); `traceSource`: the
   * client request's headers, whose trace context the call carries (null: none)
   */
  constructor(
    private backend: BackendConfig,
    public service: Service,
    private usages: Usages,
    userKey: bool,
    id: string,
    appKey: string | null,
    private traceSource: TraceSource | null,
  ) {
    this.credentialName = userKey ? USER_KEY : APP_ID;
    // unchanged (no copy) when nothing needs encoding, as 3scale's keys and ids
    this.credentialValue = percentEncodeComponent(id);
    if (appKey != null) this.appKey = percentEncodeComponent(appKey);
    if (backend.cache != null) this.transaction = transactionKey(service.encodedId, this.credentialName, this.credentialValue, this.appKey, usages);
  }

  /**
   * the details of a local denial when the call is larger than `limits` allow (the backend would
   * refuse it or never answer), else null. Encoded values are ASCII: length is the byte count.
   */
  refusal(limits: BackendLimits): string | null {
    const appKey = this.appKey;
    const credentialBytes = appKey != null ? max(this.credentialValue.length, appKey.length) : this.credentialValue.length;
    if (credentialBytes > limits.maxCredentialBytes) return "authrep_credential_too_large";
    if (this.queryBytes > limits.maxQueryBytes) return "authrep_query_too_large";
    return null;
  }

  get cluster(): string { return this.backend.upstream.name; }

  /** u64 config values above u32 are clamped: the host takes a u32 millisecond timeout */
  get timeoutMs(): u32 {
    const t = this.backend.upstream.timeoutMs;
    return t > <u64>U32.MAX_VALUE ? U32.MAX_VALUE : <u32>t;
  }

  /** whether the client gets rate-limit headers */
  get limitHeaders(): bool { return this.service.rateLimitHeaders; }

  /** limit headers are read for the client and, with the cache, to know when a denial lifts */
  get readsLimits(): bool { return this.limitHeaders || this.transaction != null; }

  get headers(): Array<string> {
    let h = this.built;
    if (!h) this.built = h = this.build();
    return h;
  }

  /** the length of the query `build` writes (after `?`), computed without building it */
  private get queryBytes(): i32 {
    const service = this.service;
    const appKey = this.appKey;
    let n = SERVICE_ID.length + service.encodedId.length + SERVICE_TOKEN.length + service.encodedToken.length
      + 1 + this.credentialName.length + 1 + this.credentialValue.length;
    if (appKey != null) n += 1 + APP_KEY.length + 1 + appKey.length;
    const u = this.usages;
    for (let i = 0; i < u.names.length; i++) n += USAGE_OPEN.length + u.encodedNames[i].length + USAGE_CLOSE.length + decimalLength(u.sums[i]);
    const extra = this.backend.upstream.url.query;
    if (extra != null) n += 1 + extra.length;
    return n;
  }

  private build(): Array<string> {
    const url = this.backend.upstream.url;
    const appKey = this.appKey;
    const path = new StringBuilder(url.basePath.length + AUTHREP_PATH.length + 1 + this.queryBytes).add(url.basePath).add(AUTHREP_PATH).addCode(0x3f)
      .add(SERVICE_ID).add(this.service.encodedId).add(SERVICE_TOKEN).add(this.service.encodedToken)
      .addCode(0x26).add(this.credentialName).addCode(0x3d).add(this.credentialValue);
    if (appKey != null) path.addCode(0x26).add(APP_KEY).addCode(0x3d).add(appKey);
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

const SERVICE_ID = "service_id=";
const SERVICE_TOKEN = "&service_token=";
const USAGE_OPEN = "&usage[";
const USAGE_CLOSE = "]=";
