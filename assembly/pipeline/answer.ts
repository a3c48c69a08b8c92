// The backend's answer to authrep (authorization-flow.md §2.7): only `:status` and
// `3scale-rejection-reason` are read; the body is never parsed.
import { Decision, authenticationFailed, badGateway, limitsExceeded } from "./reply";

/** status: the `:status` header or null when the call failed (no headers at all) */
export function decideAnswer(status: string | null, rejectionReason: string | null): Decision {
  if (status == null) return badGateway("authrep_backend_unavailable");
  if (status == "200") return Decision.proceed();
  if (rejectionReason != null && rejectionReason == "limits_exceeded") return limitsExceeded();
  return authenticationFailed("authrep_denied_" + sanitize(status));
}

/** statuses end up in access-log details; keep them to digits so logs stay parseable */
function sanitize(status: string): string {
  for (let i = 0; i < status.length; i++) {
    const c = status.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return "invalid_status";
  }
  return status.length > 0 && status.length <= 3 ? status : "invalid_status";
}
