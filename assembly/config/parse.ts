// Parses and validates the plugin configuration (docs/configuration.md) into typed objects.
// Called once per on_configure; the first problem found is reported with its field path.
import { JsonValue } from "../json/value";
import { parseJson } from "../json/parse";
import { parseBackend, parseSystem } from "./upstream";
import { parseService } from "./service";
import { BackendConfig, Config, Service, SystemConfig } from "./types";
import { ConfigReader, indexPath } from "../json/reader";
import { FailurePolicy, parseFailurePolicy } from "./failure_policy";

const API_VERSIONS: Array<string> = ["v1", "v1.0", "v1.0.0"];
/** far above any real configuration (1,000s of rules), small enough to bound parse work */
export const MAX_CONFIG_BYTES: i32 = 8 * 1024 * 1024;

export class ConfigResult {
  constructor(public config: Config | null, public error: string, public warnings: Array<string>) {}
}

export function parseConfig(text: string): ConfigResult {
  const r = new ConfigReader();
  const config = parseWith(text, r);
  return new ConfigResult(r.failed ? null : config, r.error, r.warnings);
}

function isBlank(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) return false;
  }
  return true;
}

function parseWith(text: string, r: ConfigReader): Config | null {
  if (isBlank(text)) {
    r.fail("", "the configuration is empty (in Istio: the WasmPlugin has no pluginConfig); an api v1 object with backend and services is required");
    return null;
  }
  const parsed = parseJson(text);
  const root = parsed.value;
  if (!root) {
    r.fail("", parsed.error);
    return null;
  }
  const obj = r.object(root, "");
  if (!obj) return null;

  const api = r.required(obj, "", "api");
  if (!api) return null;
  r.choice(api, "api", API_VERSIONS);

  const systemValue = r.nullable(obj, "system");
  const system: SystemConfig | null = systemValue ? parseSystem(systemValue, "system", r) : null;
  const backendValue = r.nullable(obj, "backend");
  const backend: BackendConfig | null = backendValue ? parseBackend(backendValue, "backend", r) : null;
  const servicesValue = r.nullable(obj, "services");
  const services: Array<Service> | null = servicesValue ? parseServices(servicesValue, r) : null;
  const passValue = r.nullable(obj, "passthrough_metadata");
  const passthrough = passValue ? r.bool(passValue, "passthrough_metadata") : false;
  const policyValue = r.nullable(obj, "failure_policy");
  const policy = policyValue ? parseFailurePolicy(policyValue, "failure_policy", r) : FailurePolicy.closed();
  if (r.failed || !policy) return null;
  checkStaleNeedsCache(policy, services, backend, r);
  if (r.failed) return null;

  warnUseless(services, backend, passthrough, r);
  return new Config(system, backend, services, passthrough, policy);
}

function parseServices(v: JsonValue, r: ConfigReader): Array<Service> {
  return r.listOf<Service>(v, "services", parseService);
}

/** serving stale authorizations needs somewhere to keep them */
function checkStaleNeedsCache(policy: FailurePolicy, services: Array<Service> | null, backend: BackendConfig | null, r: ConfigReader): void {
  if (backend != null && backend.cache != null) return;
  const message = "serving stale authorizations needs `backend.cache`";
  if (policy.staleMs > 0) r.fail("failure_policy.stale_seconds", message);
  if (!services) return;
  for (let i = 0; i < services.length; i++) {
    const own = services[i].failurePolicy;
    if (own && own.staleMs > 0) r.fail(indexPath("services", i) + ".failure_policy.stale_seconds", message);
  }
}

/** accepted like the reference, but every request will be denied (docs/configuration.md §2) */
function warnUseless(services: Array<Service> | null, backend: BackendConfig | null, passthrough: bool, r: ConfigReader): void {
  if (!services) r.warn("services", "no services configured: every request is answered 403 Authentication failed");
  else if (services.length == 0) r.warn("services", "empty list: every request is answered 403 Unknown service");
  if (!backend) {
    r.warn("backend", passthrough
      ? "no backend configured: pass-through mode needs it, every request is answered 403 Authentication failed"
      : "no backend configured: every authorized-looking request is answered 403 Authentication failed");
  }
}
