// What the backend's answer to authrep means for the request (docs/decision.md §3); the answer
// itself, and what its headers say, is read in backend/answer.ts.
import { AuthrepCall } from "./authrep";
import { Decision, authenticationFailed, badGateway, limitsExceeded } from "./reply";
import { BackendAnswer, deniedForLimits, rateLimitHeaders } from "../backend/answer";
import { sanitize } from "../text/status";

export function decideAnswer(answer: BackendAnswer, call: AuthrepCall): Decision {
  const status = answer.status;
  if (status == null) return badGateway("authrep_backend_unavailable");
  if (status == "200") return call.limitHeaders ? Decision.proceed(null, rateLimitHeaders(answer, false)) : Decision.proceed();
  if (deniedForLimits(answer)) return limitsExceeded(call.replies, call.limitHeaders ? rateLimitHeaders(answer, true) : new Array<string>());
  return authenticationFailed("authrep_denied_" + sanitize(status), call.replies);
}
