// The error and denial catalogue of tools/simulator/README.md.

/** An HTTP error answer: `<error code="…">message</error>`; `code` null means an empty body. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string | null, message: string) {
    super(message);
  }
}

/** A 409 denial: `<status>` with authorized=false and this reason. */
export interface Denial {
  code: string;
  text: string;
}

const blank = (value: string | undefined): boolean => value === undefined || value.trim() === "";

export const errors = {
  providerKeyOrServiceTokenRequired: () =>
    new ApiError(403, "provider_key_or_service_token_required", "Provider key or service token are required"),
  serviceTokenInvalid: (token: string, serviceId: string) =>
    new ApiError(403, "service_token_invalid", `service token "${token}" or service id "${serviceId}" is invalid`),
  serviceIdMissing: () => new ApiError(422, "service_id_missing", "Service ID is missing"),
  providerKeyInvalid: (key: string) => new ApiError(403, "provider_key_invalid", `provider key "${key}" is invalid`),
  providerKeyInvalidOrServiceMissing: (key: string) =>
    new ApiError(403, "provider_key_invalid_or_service_missing", `provider key "${key}" invalid and/or service ID missing`),
  serviceIdInvalid: (id: string) => new ApiError(403, "service_id_invalid", `service id "${id}" is invalid`),
  authenticationError: () =>
    new ApiError(403, "authentication_error", "either app_id or user_key is allowed, not both"),
  userKeyInvalid: (key: string | undefined) =>
    new ApiError(403, "user_key_invalid", key === undefined ? "user key is missing" : `user key "${key}" is invalid`),
  applicationNotFound: (id: string | undefined) =>
    new ApiError(404, "application_not_found",
      id === undefined ? "application id is missing" : `application with id="${id}" was not found`),
  metricInvalid: (name: string) => new ApiError(404, "metric_invalid", `metric "${name}" is invalid`),
  usageValueInvalid: (metric: string, value: string | undefined) =>
    new ApiError(403, "usage_value_invalid", blank(value)
      ? `usage value for metric "${metric}" can not be empty`
      : `usage value "${value}" for metric "${metric}" is invalid`),
  usageNotAHash: () => new ApiError(403, null, ""),
  endUsersNoLongerSupported: () =>
    new ApiError(400, "end_users_no_longer_supported",
      "End-users are no longer supported, do not specify the user_id parameter"),
  notValidData: () => new ApiError(422, "not_valid_data", "all data must be valid UTF8"),
  badRequest: (message = "request contains syntax errors, should not be repeated without modification") =>
    new ApiError(400, "bad_request", message),
  invalidPercentEncoding: () => errors.badRequest("Invalid query parameters: invalid %-encoding"),
  contentTypeInvalid: (type: string) => new ApiError(400, "content_type_invalid", `invalid Content-Type: ${type}`),
  transactionsIsBlank: () => new ApiError(400, "transactions_is_blank", "transactions parameter is blank"),
  transactionsFormatInvalid: () => new ApiError(400, "transactions_format_invalid", "transactions format is invalid"),
  transactionsHasNilTransaction: () =>
    new ApiError(400, "transactions_has_nil_transaction", "transactions has a nil transaction"),
};

export const denials = {
  applicationKeyInvalid: (key: string | undefined): Denial => ({
    code: "application_key_invalid",
    text: blank(key) ? "application key is missing" : `application key "${key}" is invalid`,
  }),
  referrerNotAllowed: (referrer: string | undefined): Denial => ({
    code: "referrer_not_allowed",
    text: blank(referrer) ? "referrer is missing" : `referrer "${referrer}" is not allowed`,
  }),
  applicationNotActive: (): Denial => ({ code: "application_not_active", text: "application is not active" }),
  serviceNotActive: (): Denial => ({ code: "service_not_active", text: "service is not active" }),
  limitsExceeded: (): Denial => ({ code: "limits_exceeded", text: "usage limits are exceeded" }),
  oauthNotEnabled: (): Denial => ({ code: "oauth_not_enabled", text: "oauth is not enabled" }),
  redirectInvalid: (param: "redirect_uri" | "redirect_url", value: string): Denial => ({
    code: `${param}_invalid`,
    text: `${param} "${value}" is invalid`,
  }),
};
