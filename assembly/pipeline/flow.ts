// The per-request decision (docs/decision.md §1): URL → service → credentials →
// mapping rules → authrep call. The first failing step ends the request with its local reply.
// This module knows nothing of proxy-wasm: it maps a Request to a Decision.
import { Config, Service } from "../config/types";
import { log, LogLevel, logEnabled, mask } from "../runtime/log";
import { normalizeMethod } from "../rules/method";
import { normalizeRequestUrl } from "../url/request";
import { buildAuthrep } from "./authrep";
import { CredentialKind, ResolvedCredentials, resolveCredentials } from "./credentials";
import { Decision, authenticationFailed, credentialsMissing, noMappingRule, unknownService } from "./reply";
import { Request } from "./request";
import { computeUsages } from "./usages";
import { passthroughDecision } from "./passthrough";
import { DecisionTrace } from "./trace";

/** `trace`, when given, hears each step (the harness's trace; the filter passes none) */
export function decide(config: Config, request: Request, trace: DecisionTrace | null = null): Decision {
  const services = config.services;
  if (!services) return authenticationFailed("authrep_no_services");

  const authority = request.header(":authority");
  const path = request.header(":path");
  const method = request.header(":method");
  if (authority == null || path == null || method == null) return authenticationFailed("authrep_missing_pseudo_header");
  let scheme = request.header(":scheme");
  if (scheme == null) scheme = request.header("x-forwarded-proto");
  const url = normalizeRequestUrl(scheme != null ? scheme : "https", authority, path);
  if (!url) return authenticationFailed("authrep_bad_url");
  request.url = url;
  request.method = normalizeMethod(method);

  const service = selectService(services, url.authority, trace);
  if (!service) return unknownService();
  request.service = service;

  const creds = resolveCredentials(service.credentials, request, trace);
  if (trace) trace.credentials(creds);
  if (creds.kind == CredentialKind.None) return credentialsMissing(service.replies);
  if (logEnabled(LogLevel.Debug)) log(LogLevel.Debug, "service " + service.id + ": credentials " + describe(creds));

  const usages = computeUsages(service, request.method, url.path, url.query, trace);
  if (trace) trace.usages(usages);
  if (usages.isEmpty) return noMappingRule(service.replies);

  const backend = config.backend;
  if (config.passthroughMetadata) return passthroughDecision(backend, service, creds, usages);
  if (!backend) return authenticationFailed("authrep_no_backend", service.replies);
  if (service.token == null) return authenticationFailed("authrep_no_service_token", service.replies);
  const call = buildAuthrep(backend, service, creds, usages, config.failurePolicyOf(service), request.headers);
  // refused before any cache or failure policy: a request too large to send is the client's fault, not the backend's
  const refused = call.refusal(backend.limits);
  if (refused != null) return authenticationFailed(refused, service.replies);
  return Decision.authrep(call);
}

function selectService(services: Array<Service>, authority: string, trace: DecisionTrace | null): Service | null {
  for (let i = 0; i < services.length; i++) {
    const globs = services[i].authorities;
    for (let j = 0; j < globs.length; j++) {
      if (!globs[j].matches(authority)) continue;
      if (trace) trace.service(authority, i, j);
      return services[i];
    }
  }
  if (trace) trace.service(authority, -1, -1);
  return null;
}

/** credentials are masked even at debug level (defect D9) */
function describe(c: ResolvedCredentials): string {
  if (c.kind == CredentialKind.UserKey) return "user_key " + mask(c.userKey);
  const key = c.appKey;
  return "app_id " + mask(c.appId) + (key != null ? ", app_key " + mask(key) : "");
}
