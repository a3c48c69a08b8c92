// Outcomes of the per-request decision. Once the service is known, the four replies of
// docs/configuration.md §7.2 come from its configuration (config/replies.ts); unset fields keep the
// reference's statuses and bodies (docs/decision.md §1) and no content type, so existing
// users see no change. `details` shows in Envoy's access log as %RESPONSE_CODE_DETAILS%.
import { AuthrepCall } from "./authrep";
import { Replies, ReplyKind } from "../config/replies";

export enum Outcome { Reply, Authrep, Continue }

/** shared by every decision without client headers: one allocation less per request */
const NO_HEADERS = new Array<string>();

export class Decision {
  constructor(
    public outcome: Outcome,
    public status: u32,
    public body: string,
    public details: string,
    public call: AuthrepCall | null,
    /** Continue only: headers to put on the upstream request, replacing any the client sent */
    public upstreamHeaders: Array<string> | null = null,
    /** headers the client gets: on the local reply (Reply) or added to the upstream response (Continue); never mutated */
    public clientHeaders: Array<string> = NO_HEADERS,
  ) {}

  static reply(status: u32, body: string, details: string): Decision {
    return new Decision(Outcome.Reply, status, body, details, null);
  }

  static authrep(call: AuthrepCall): Decision {
    return new Decision(Outcome.Authrep, 0, "", "", call);
  }

  /** without headers the one shared decision: every allowed request from the cache gets it */
  static proceed(upstreamHeaders: Array<string> | null = null, clientHeaders: Array<string> = NO_HEADERS): Decision {
    if (upstreamHeaders == null && clientHeaders == NO_HEADERS) return PROCEED;
    return new Decision(Outcome.Continue, 0, "", "", null, upstreamHeaders, clientHeaders);
  }
}

/** decisions are never changed once made, so this one can be shared */
const PROCEED = new Decision(Outcome.Continue, 0, "", "", null);

/** the reference's replies, in ReplyKind order */
const DEFAULT_STATUS: Array<u32> = [403, 403, 404, 429];
const DEFAULT_BODY: Array<string> = ["Authentication parameters missing\n", "Authentication failed\n", "No Mapping Rule matched\n", "Usage limit exceeded\n"];
const NO_REPLIES = Replies.unset();

/** the service's reply of `kind`; a configured content type becomes the `content-type` header */
function configured(replies: Replies, kind: ReplyKind, details: string, headers: Array<string> = new Array<string>()): Decision {
  const spec = replies.get(kind);
  const body = spec.body;
  const type = spec.contentType;
  if (type != null) { headers.push("content-type"); headers.push(type); }
  const d = Decision.reply(spec.status != 0 ? spec.status : DEFAULT_STATUS[<i32>kind], body != null ? body : DEFAULT_BODY[<i32>kind], details);
  d.clientHeaders = headers;
  return d;
}

/** without `replies` (no service selected yet) the reference's reply */
export function authenticationFailed(details: string, replies: Replies = NO_REPLIES): Decision {
  return configured(replies, ReplyKind.AuthFailed, details);
}

export function unknownService(): Decision {
  return Decision.reply(403, "Unknown service\n", "authrep_unknown_service");
}

export function credentialsMissing(replies: Replies): Decision {
  return configured(replies, ReplyKind.AuthMissing, "authrep_credentials_missing");
}

export function noMappingRule(replies: Replies): Decision {
  return configured(replies, ReplyKind.NoMatch, "authrep_no_mapping_rule");
}

/** headers: rate-limit headers for the client (empty unless enabled) */
export function limitsExceeded(replies: Replies, headers: Array<string>): Decision {
  return configured(replies, ReplyKind.LimitsExceeded, "authrep_limits_exceeded", headers);
}

export function badGateway(details: string): Decision {
  return Decision.reply(502, "Bad Gateway\n", details);
}
