// Pass-through (metadata) mode (docs/configuration.md §10): no backend call; the resolved
// data goes upstream in request headers. These names are always removed from the client's
// request first (defect D4: the reference appended, so clients could spoof them). The service
// token is never forwarded: the upstream application has no use for a 3scale secret. A service
// without a token still fails closed, as in the reference.
import { BackendConfig, Service } from "../config/types";
import { addJsonString } from "../json/write";
import { CredentialKind, ResolvedCredentials } from "./credentials";
import { Decision, authenticationFailed } from "./reply";
import { Usages } from "./usages";
import { StringBuilder } from "../text/builder";

export const PASSTHROUGH_HEADERS: Array<string> = [
  "x-3scale-user-key", "x-3scale-app-id", "x-3scale-cluster-name", "x-3scale-upstream-url",
  "x-3scale-timeout", "x-3scale-service-id", "x-3scale-service-token", "x-3scale-usages",
];

export function passthroughDecision(backend: BackendConfig | null, service: Service, creds: ResolvedCredentials, usages: Usages): Decision {
  if (!backend) return authenticationFailed("authrep_no_backend", service.replies);
  if (service.token == null) return authenticationFailed("authrep_no_service_token", service.replies);
  const h = new Array<string>();
  if (creds.kind == CredentialKind.UserKey) {
    h.push("x-3scale-user-key"); h.push(creds.userKey);
  } else {
    const key = creds.appKey;
    h.push("x-3scale-app-id"); h.push(key != null ? creds.appId + ":" + key : creds.appId);
  }
  const upstream = backend.upstream;
  h.push("x-3scale-cluster-name"); h.push(upstream.name);
  h.push("x-3scale-upstream-url"); h.push(upstream.url.serialized);
  h.push("x-3scale-timeout"); h.push(upstream.timeoutMs.toString());
  h.push("x-3scale-service-id"); h.push(service.id);
  h.push("x-3scale-usages"); h.push(usagesJson(usages));
  for (let i = 1; i < h.length; i += 2) {
    if (!isHeaderValue(h[i])) return authenticationFailed("authrep_invalid_passthrough_value", service.replies);
  }
  return Decision.proceed(h);
}

/**
 * Envoy refuses a header value with CR, LF or NUL (the stream then ends in a 503 after the
 * request was counted as allowed). Credentials can carry them: metadata and decoded values.
 */
function isHeaderValue(value: string): bool {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c == 0x0d || c == 0x0a || c == 0) return false;
  }
  return true;
}

function usagesJson(usages: Usages): string {
  const out = new StringBuilder().addCode(0x7b);
  for (let i = 0; i < usages.names.length; i++) {
    if (i > 0) out.addCode(0x2c);
    addJsonString(out, usages.names[i]).addCode(0x3a).addInt(usages.sums[i]);
  }
  return out.addCode(0x7d).toString();
}
