// The backend's answer to authrep (docs/decision.md §3): `:status`,
// `3scale-rejection-reason` and, when the call asked for them, the limit headers
// (docs/backend-protocol.md §2.1); the body is never parsed. What the answer means for the client
// is decided in the pipeline (pipeline/answer.ts) and, with the cache, the authorizer.
import { CallAnswer } from "../runtime/calls";
import { parseDecimalIn } from "../text/decimal";

export class BackendAnswer {
  constructor(
    /** the `:status` header, or null when the call failed (no headers at all) */
    public status: string | null,
    public rejectionReason: string | null,
    public limitMax: string | null = null,
    public limitRemaining: string | null = null,
    public limitReset: string | null = null,
  ) {}
}

/** the headers of an authrep answer; `limitHeaders`: the call asked for the limit headers */
export function readAnswer(call: CallAnswer, limitHeaders: bool): BackendAnswer {
  if (call.numHeaders == 0) return new BackendAnswer(null, null);
  const answer = new BackendAnswer(call.header(":status"), call.header("3scale-rejection-reason"));
  if (limitHeaders) {
    answer.limitMax = call.header("3scale-limit-max-value");
    answer.limitRemaining = call.header("3scale-limit-remaining");
    answer.limitReset = call.header("3scale-limit-reset");
  }
  return answer;
}

/** a limits_exceeded denial, except for a disabled metric (max value 0): not a limit the client can wait for (APIcast) */
export function deniedForLimits(answer: BackendAnswer): bool {
  const reason = answer.rejectionReason;
  if (reason == null || reason != "limits_exceeded") return false;
  const max = answer.limitMax;
  return max == null || max != "0";
}

/**
 * X-RateLimit-Limit/-Remaining/-Reset (and Retry-After on a denial) from the backend's limit
 * headers, only when all three are integers and reset > 0 (nothing for unlimited or eternity
 * limits, docs/decision.md §4); negative counts become 0
 */
export function rateLimitHeaders(answer: BackendAnswer, retryAfter: bool): Array<string> {
  const out = new Array<string>();
  const max = clampedInteger(answer.limitMax);
  const remaining = clampedInteger(answer.limitRemaining);
  const reset = clampedInteger(answer.limitReset);
  if (max < 0 || remaining < 0 || reset <= 0) return out;
  out.push("x-ratelimit-limit"); out.push(max.toString());
  out.push("x-ratelimit-remaining"); out.push(remaining.toString());
  out.push("x-ratelimit-reset"); out.push(reset.toString());
  if (retryAfter) { out.push("retry-after"); out.push(reset.toString()); }
  return out;
}

/** a decimal integer of at most 15 digits with negatives as 0, or -1 when absent or malformed */
export function clampedInteger(text: string | null): i64 {
  if (text == null) return -1;
  const start = text.startsWith("-") ? 1 : 0;
  if (text.length - start > 15) return -1;
  const v = parseDecimalIn(text, start, text.length);
  return v < 0 ? -1 : start == 1 ? 0 : v;
}
