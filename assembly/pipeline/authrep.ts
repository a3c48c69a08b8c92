// The authrep call of one request: the request to the backend (backend/authrep.ts) and what
// the pipeline adds for the answer — the failure policy and the service's replies.
import { BackendConfig, Service } from "../config/types";
import { Replies } from "../config/replies";
import { FailurePolicy } from "../config/failure_policy";
import { AuthrepRequest } from "../backend/authrep";
import { CredentialKind, ResolvedCredentials } from "./credentials";
import { Usages } from "./usages";
import { HeaderSource } from "./request";

export class AuthrepCall extends AuthrepRequest {
  constructor(
    backend: BackendConfig,
    service: Service,
    usages: Usages,
    creds: ResolvedCredentials,
    /** what the request gets when the backend cannot answer */
    public policy: FailurePolicy,
    /** the client request's headers, whose trace context the call carries; null: none */
    traceSource: HeaderSource | null,
  ) {
    const userKey = creds.kind == CredentialKind.UserKey;
    super(backend, service, usages, userKey, userKey ? creds.userKey : creds.appId, userKey ? null : creds.appKey, traceSource);
  }

  /** the service's replies, for the answer */
  get replies(): Replies { return this.service.replies; }
}

/** `policy` only matters to the answer; `requestHeaders` are the client's, for the trace context */
export function buildAuthrep(backend: BackendConfig, service: Service, creds: ResolvedCredentials, usages: Usages,
  policy: FailurePolicy, requestHeaders: HeaderSource): AuthrepCall {
  return new AuthrepCall(backend, service, usages, creds, policy, backend.propagateTraceContext ? requestHeaders : null);
}
