// Part B: the Account Management API proxy-configuration endpoint and the documents it serves.
// Documents carry every field the reference parser requires (B.3), so both modules can consume them.
import type { Environment, MappingRule, Service, SimState } from "./state";

export interface ProxyConfigPatch {
  /** Shallow overrides of `proxy_config.content` (e.g. `{ support_email: null }`). */
  content?: Record<string, unknown>;
  /** Shallow overrides of `proxy_config.content.proxy`. */
  proxy?: Record<string, unknown>;
}

interface JsonAnswer {
  status: number;
  body: unknown;
}

export const CONFIG_PATH = /^\/admin\/api\/services\/([^/]+)\/proxy\/configs\/([^/]+)\/latest\.json$/;

const configKey = (serviceId: string, env: Environment) => `${serviceId}/${env}`;

/** Snapshots the service's current model as the next version of `env` (versions count per environment, as in Porta). */
export function promoteProxyConfig(
  state: SimState, serviceId: string, env: Environment, backendUrl: string, patch: ProxyConfigPatch = {},
): unknown {
  const service = state.requireService(serviceId);
  const version = 1 + versionOf(state.proxyConfigs.get(configKey(serviceId, env)));
  const document = buildDocument(state, service, env, version, backendUrl, patch);
  state.proxyConfigs.set(configKey(serviceId, env), document);
  return document;
}

/** Serves any JSON value as the latest configuration, for tests of odd or broken documents. */
export function replaceProxyConfig(state: SimState, serviceId: string, env: Environment, document: unknown): void {
  state.proxyConfigs.set(configKey(state.requireService(serviceId).id, env), document);
}

/** GET …/proxy/configs/<env>/latest.json?access_token=… */
export function proxyConfigAnswer(state: SimState, serviceId: string, envName: string, token: string | undefined): JsonAnswer {
  if (!token) return { status: 401, body: { error: "Access Denied" } };
  const account = [...state.providers.values()].find((p) => p.accessTokens.includes(token));
  if (!account) return { status: 403, body: { error: "Access Denied" } };
  const env = envName === "staging" ? "sandbox" : envName;
  if (env !== "production" && env !== "sandbox") return { status: 400, body: { error: "invalid environment" } };
  const service = state.services.get(serviceId);
  const document = service?.providerKey === account.key ? state.proxyConfigs.get(configKey(serviceId, env)) : undefined;
  return document === undefined ? { status: 404, body: { status: "Not found" } } : { status: 200, body: document };
}

function versionOf(document: unknown): number {
  const version = (document as { proxy_config?: { version?: unknown } } | undefined)?.proxy_config?.version;
  return typeof version === "number" ? version : 0;
}

function buildDocument(
  state: SimState, service: Service, env: Environment, version: number, backendUrl: string, patch: ProxyConfigPatch,
): unknown {
  const serviceId = numericId(state, service);
  const accountId = 1 + [...state.providers.keys()].indexOf(service.providerKey);
  const authentication = service.mode === "oauth" ? "oidc" : service.mode;
  const token = service.tokens[0];
  const host = `${service.systemName}.example.com`;
  const stagingHost = `${service.systemName}-staging.example.com`;
  const now = new Date(state.now()).toISOString();
  const proxy = {
    id: serviceId, tenant_id: accountId, service_id: serviceId,
    endpoint: `http://${host}:80`, sandbox_endpoint: `http://${stagingHost}:80`,
    api_backend: null, deployed_at: null, oauth_login_url: null,
    hostname_rewrite: "", hostname_rewrite_for_sandbox: "echo-api.3scale.net",
    auth_user_key: "user_key", auth_app_id: "app_id", auth_app_key: "app_key",
    credentials_location: "query", secret_token: "Shared_secret_sent_from_proxy_to_API_backend",
    ...errorSettings(),
    api_test_path: "/", apicast_configuration_driven: true, lock_version: version, endpoint_port: 80, "valid?": true,
    authentication_method: authentication, service_backend_version: authentication,
    hosts: [host, stagingHost],
    backend: { endpoint: backendUrl, host: new URL(backendUrl).host },
    policy_chain: [{ name: "apicast", version: "builtin", configuration: {} }],
    proxy_rules: service.mappingRules.map((rule, i) => proxyRule(state, service, rule, i + 1, { serviceId, accountId, now })),
    ...patch.proxy,
  };
  const content = {
    id: serviceId, account_id: accountId, tenant_id: accountId,
    name: service.name, system_name: service.systemName, description: null, oneline_description: null,
    state: "incomplete", support_email: "api@example.com", intentions_required: false,
    custom_keys_enabled: true, buyers_manage_apps: true, buyers_manage_keys: true,
    buyer_plan_change_permission: "request", buyer_can_select_plan: false, buyer_key_regenerate_enabled: true,
    backend_version: authentication, mandatory_app_key: service.mode === "2",
    referrer_filters_required: service.referrerFiltersRequired,
    deployment_option: "service_mesh_istio", "proxiable?": true,
    backend_authentication_type: token === undefined ? "provider_key" : "service_token",
    backend_authentication_value: token ?? service.providerKey,
    proxy,
    ...patch.content,
  };
  return { proxy_config: { id: state.nextId(), version, environment: env, content } };
}

function errorSettings() {
  const textPlain = "text/plain; charset=us-ascii";
  return {
    error_status_auth_failed: 403, error_headers_auth_failed: textPlain, error_auth_failed: "Authentication failed",
    error_status_auth_missing: 401, error_headers_auth_missing: textPlain, error_auth_missing: "Authentication parameters missing",
    error_status_no_match: 404, error_headers_no_match: textPlain, error_no_match: "No Mapping Rule matched",
    error_status_limits_exceeded: 429, error_headers_limits_exceeded: textPlain, error_limits_exceeded: "Usage limit exceeded",
  };
}

function proxyRule(
  state: SimState, service: Service, rule: MappingRule, position: number,
  ids: { serviceId: number; accountId: number; now: string },
) {
  const [path = "", query] = rule.pattern.split("?", 2);
  const queryParameters = Object.fromEntries(
    (query ?? "").split("&").filter(Boolean).map((pair) => [pair.split("=", 1)[0]!, pair.slice(pair.indexOf("=") + 1)]),
  );
  return {
    id: state.nextId(), proxy_id: ids.serviceId, tenant_id: ids.accountId,
    http_method: rule.method, pattern: rule.pattern,
    metric_id: state.metric(service, rule.metric)?.id ?? 0, metric_system_name: rule.metric,
    delta: rule.delta, position, last: rule.last, redirect_url: null,
    parameters: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
    querystring_parameters: queryParameters,
    owner_id: ids.serviceId, owner_type: "Service", created_at: ids.now, updated_at: ids.now,
  };
}

/** Porta ids are integers; a non-numeric simulator id gets its position instead. */
function numericId(state: SimState, service: Service): number {
  const id = Number(service.id);
  return /^\d+$/.test(service.id) && Number.isSafeInteger(id) ? id : 1 + [...state.services.keys()].indexOf(service.id);
}
