// Caller authentication and service lookup (tools/simulator/README.md), shared by every transaction endpoint.
import { errors } from "./errors";
import { type ParamHash, stringParam } from "./query";
import type { Service, SimState } from "./state";

const EDGE_WHITESPACE = /^[\t\n\v\f\r \0]+|[\t\n\v\f\r \0]+$/g; // what Ruby's String#strip removes

export function strip(value: string | undefined): string | undefined {
  return value?.replace(EDGE_WHITESPACE, "");
}

/** A parameter stripped of surrounding whitespace; empty counts as absent. */
export function stripped(params: ParamHash, key: string): string | undefined {
  const value = strip(stringParam(params, key));
  return value === "" ? undefined : value;
}

/** Resolves the provider key: `provider_key` wins, else a service token valid for `service_id`. */
export function authenticateCaller(state: SimState, params: ParamHash): string {
  const providerKey = stripped(params, "provider_key");
  if (providerKey !== undefined) return providerKey;
  const token = stringParam(params, "service_token");
  const serviceId = stripped(params, "service_id");
  const service = serviceId === undefined ? undefined : state.services.get(serviceId);
  if (token && service?.tokens.includes(token)) return service.providerKey;
  if (!token) throw errors.providerKeyOrServiceTokenRequired();
  if (serviceId === undefined) throw errors.serviceIdMissing();
  throw errors.serviceTokenInvalid(token, serviceId);
}

/** The service addressed by `service_id`, or the provider's default service. */
export function lookupService(state: SimState, providerKey: string, serviceId: string | undefined): Service {
  const id = serviceId ?? state.providers.get(providerKey)?.defaultServiceId;
  if (id === undefined) throw errors.providerKeyInvalidOrServiceMissing(providerKey);
  const service = state.services.get(id);
  if (!service) throw errors.serviceIdInvalid(id);
  if (service.providerKey !== providerKey) {
    // apisonator first checks that the key has a default service at all
    if (state.providers.get(providerKey)?.defaultServiceId === undefined) throw errors.providerKeyInvalid(providerKey);
    throw errors.serviceIdInvalid(id);
  }
  return service;
}
