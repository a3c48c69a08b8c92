// Outcomes of the per-request decision. Local-reply statuses and bodies are the reference's
// (authorization-flow.md §2.9) so existing users see no change; `details` shows in Envoy's
// access log as %RESPONSE_CODE_DETAILS%.
import { AuthrepCall } from "./authrep";

export enum Outcome { Reply, Authrep, Continue }

export class Decision {
  constructor(
    public outcome: Outcome,
    public status: u32,
    public body: string,
    public details: string,
    public call: AuthrepCall | null,
    /** Continue only: headers to put on the upstream request, replacing any the client sent */
    public upstreamHeaders: Array<string> | null = null,
  ) {}

  static reply(status: u32, body: string, details: string): Decision {
    return new Decision(Outcome.Reply, status, body, details, null);
  }

  static authrep(call: AuthrepCall): Decision {
    return new Decision(Outcome.Authrep, 0, "", "", call);
  }

  static proceed(upstreamHeaders: Array<string> | null = null): Decision {
    return new Decision(Outcome.Continue, 0, "", "", null, upstreamHeaders);
  }
}

export function authenticationFailed(details: string): Decision {
  return Decision.reply(403, "Authentication failed\n", details);
}

export function unknownService(): Decision {
  return Decision.reply(403, "Unknown service\n", "authrep_unknown_service");
}

export function credentialsMissing(): Decision {
  return Decision.reply(403, "Authentication parameters missing\n", "authrep_credentials_missing");
}

export function noMappingRule(): Decision {
  return Decision.reply(404, "No Mapping Rule matched\n", "authrep_no_mapping_rule");
}

export function limitsExceeded(): Decision {
  return Decision.reply(429, "Usage limit exceeded\n", "authrep_limits_exceeded");
}

export function badGateway(details: string): Decision {
  return Decision.reply(502, "Bad Gateway\n", details);
}
