// authorize / authrep and their OAuth variants: the processing order of tools/simulator/README.md.
import { authenticateCaller, lookupService, strip, stripped } from "./caller";
import { denials, errors, type Denial } from "./errors";
import type { Extensions } from "./extensions";
import { limitsDenial, usageReports, type UsageReport } from "./limits";
import { type ParamHash, stringParam } from "./query";
import type { Application, Service, SimState } from "./state";
import {
  parseUsage, resolveMetrics, type Usage, usageMetricNames, usageParam, withHierarchy, withoutZeroDeltas,
} from "./usage";

export type AuthEndpoint = "authrep" | "authorize" | "oauth_authrep" | "oauth_authorize";
export type RedirectParam = "redirect_uri" | "redirect_url";

export interface AuthAnswer {
  endpoint: AuthEndpoint;
  service: Service;
  app: Application;
  authorized: boolean;
  reason?: Denial;
  /** The request's own usage, parsed but not hierarchy-expanded; empty if validation stopped before limits. */
  usage: Usage;
  reports: UsageReport[];
  /** Element name of the redirect URL in the OAuth `<application>` section. */
  redirectParam: RedirectParam;
  at: number;
}

interface Context {
  service: Service;
  app: Application;
  params: ParamHash;
  appKey: string | undefined;
}

type Validator = (ctx: Context) => Denial | undefined;

/** Runs steps 1–9 of A.5; errors are thrown as ApiError, denials are returned. Records on authorized authrep. */
export function authorize(state: SimState, endpoint: AuthEndpoint, params: ParamHash, ext: Extensions): AuthAnswer {
  const oauth = endpoint.startsWith("oauth_");
  const providerKey = authenticateCaller(state, params);
  if (params.get("user_id") != null) throw errors.endUsersNoLongerSupported();
  const rawUsage = usageParam(params.get("usage"));
  const service = lookupService(state, providerKey, stripped(params, "service_id"));
  const appId = stripped(params, "app_id");
  const userKey = stripped(params, "user_key");
  if (oauth && appId === undefined) throw errors.applicationNotFound(undefined);
  if (appId !== undefined && userKey !== undefined) throw errors.authenticationError();
  const app = findApplication(state, service, appId, userKey);
  if (ext.noBody) resolveMetrics(state, service, usageMetricNames(rawUsage));

  // app_key is stripped but, unlike the ids, kept when empty: an empty key is a given key
  const ctx: Context = { service, app, params, appKey: strip(stringParam(params, "app_key")) };
  const at = state.now();
  let reason = (oauth ? OAUTH_VALIDATORS : VALIDATORS).reduce<Denial | undefined>((found, v) => found ?? v(ctx), undefined);
  let usage: Usage = new Map();
  let expanded: Usage = new Map();
  if (!reason) {
    usage = parseUsage(state, service, rawUsage);
    expanded = ext.flatUsage ? usage : withHierarchy(state, service, usage);
    reason = limitsDenial(state, app, expanded, at);
  }
  const authorized = reason === undefined;
  const reporting = authorized && endpoint.endsWith("authrep");
  const reports = usageReports(state, service, app, usage, reporting, at);
  if (reporting) state.record(app, withoutZeroDeltas(expanded), at);
  return { endpoint, service, app, authorized, reason, usage, reports, redirectParam: redirectParam(params), at };
}

/** Steps 4 and 5: user-key services look up by user_key, the others by app_id. */
function findApplication(state: SimState, service: Service, appId?: string, userKey?: string): Application {
  if (service.mode === "1") {
    const app = userKey === undefined ? undefined : state.applicationByUserKey(service.id, userKey);
    if (!app) throw errors.userKeyInvalid(userKey);
    return app;
  }
  const app = appId === undefined ? undefined : state.application(service.id, appId);
  if (!app) throw errors.applicationNotFound(appId);
  return app;
}

/** Application keys: not checked for user-key services, and for OAuth/OIDC only when app_key is given. */
const keyValidator: Validator = ({ service, app, appKey }) => {
  if (service.mode === "1" || (service.mode === "oauth" && appKey === undefined)) return undefined;
  if (app.keys.length === 0 || (appKey !== undefined && app.keys.includes(appKey))) return undefined;
  return denials.applicationKeyInvalid(appKey);
};

const referrerValidator: Validator = ({ service, app, params }) => {
  if (!service.referrerFiltersRequired || app.referrerFilters.length === 0) return undefined;
  const referrer = stringParam(params, "referrer");
  const allowed = referrer === "*" || app.referrerFilters.some((filter) => globMatches(filter, referrer));
  return allowed ? undefined : denials.referrerNotAllowed(referrer);
};

const appStateValidator: Validator = ({ app }) => (app.state === "active" ? undefined : denials.applicationNotActive());
const serviceStateValidator: Validator = ({ service }) => (service.active ? undefined : denials.serviceNotActive());
const oauthSettingValidator: Validator = ({ service }) => (service.mode === "oauth" ? undefined : denials.oauthNotEnabled());

/** The legacy `redirect_url` takes precedence over `redirect_uri`; an absent or empty one passes. */
const redirectValidator: Validator = ({ app, params }) => {
  const param = redirectParam(params);
  const value = stringParam(params, param);
  return !value || value === app.redirectUrl ? undefined : denials.redirectInvalid(param, value);
};

const VALIDATORS: Validator[] = [keyValidator, referrerValidator, appStateValidator, serviceStateValidator];
const OAUTH_VALIDATORS: Validator[] = [
  oauthSettingValidator, keyValidator, redirectValidator,
  referrerValidator, appStateValidator, serviceStateValidator,
];

function redirectParam(params: ParamHash): RedirectParam {
  return params.has("redirect_uri") && !params.has("redirect_url") ? "redirect_uri" : "redirect_url";
}

/** Referrer filters are anchored globs where `*` matches anything. */
function globMatches(filter: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const pattern = filter.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`).test(value);
}
