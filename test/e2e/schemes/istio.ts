// What Istio makes of an example's manifests (docs/deployment.md §6), reproduced as the options of
// tools/envoy/bootstrap.ts: the WasmPlugin, or the TrafficExtension's `wasm` (Istio builds the
// same filter from both), becomes the wasm filter (configuration = JSON(pluginConfig), name
// <namespace>.<name>, root_id pluginName, failure policy from failStrategy), a RequestAuthentication becomes jwt_authn before it (phase AUTHZ or STATS), an
// AuthorizationPolicy requiring a request principal becomes an RBAC filter between the two (phase
// STATS), and each upstream the configuration names becomes a cluster — all pointing at the
// test's servers. Other policy shapes are not translated (an error, not a silent difference).
import type { BootstrapOptions, FailurePolicy } from "../../../tools/envoy/bootstrap";
import { wasmFile } from "../support";
import { istioPlugin, ofKind, type Manifest } from "../../support/examples";

export interface LoopbackPorts {
  app: number;
  backend: number;
  jwks?: number;
}

const FAILURE_POLICIES: Record<string, FailurePolicy> = { FAIL_CLOSE: "FAIL_CLOSED", FAIL_OPEN: "FAIL_OPEN", FAIL_RELOAD: "FAIL_RELOAD" };
const JWKS_CLUSTER = "jwks";
const PAYLOAD_KEY = "payload"; // Istio's payload_in_metadata

/** the clusters a configuration calls: backend and system upstreams */
export function upstreamNames(config: any): string[] {
  return [config.backend?.upstream?.name, config.system?.upstream?.name].filter((n): n is string => typeof n === "string");
}

export function istioBootstrap(ms: Manifest[], ports: LoopbackPorts): BootstrapOptions {
  const plugin = istioPlugin(ms);
  const rules = ofKind(ms, "RequestAuthentication").flatMap((ra) => ra.spec.jwtRules as any[]);
  const policies = ofKind(ms, "AuthorizationPolicy");
  // bootstrap.ts places these filters before the wasm filter: right for these phases only
  if (rules.length && !["AUTHZ", "STATS"].includes(plugin.phase ?? "")) throw new Error("a JWT example needs phase AUTHZ or STATS");
  if (policies.length && plugin.phase !== "STATS") throw new Error("an AuthorizationPolicy example needs phase STATS");
  const config = plugin.pluginConfig;
  const clusters: Record<string, number> = Object.fromEntries(upstreamNames(config).map((n) => [n, ports.backend]));
  if (rules.length) {
    if (ports.jwks === undefined) throw new Error("a JWT example needs a JWKS server");
    clusters[JWKS_CLUSTER] = ports.jwks;
  }
  return {
    appPort: ports.app,
    clusters,
    httpFilters: [...(rules.length ? [jwtAuthn(rules, ports.jwks!)] : []), ...policies.map(requirePrincipal)],
    wasm: {
      wasmFile,
      configuration: config === undefined ? "" : JSON.stringify(config),
      name: `${plugin.manifest.metadata.namespace}.${plugin.manifest.metadata.name}`,
      rootId: plugin.pluginName ?? "",
      failurePolicy: FAILURE_POLICIES[plugin.failStrategy ?? "FAIL_CLOSE"],
    },
  };
}

/**
 * `ALLOW from requestPrincipals ["*"]`: Istio's RBAC matches the principal its istio_authn
 * filter derives from the verified JWT; upstream Envoy has no istio_authn, so this checks that
 * jwt_authn stored a payload. Denied: 403 "RBAC: access denied", as in Istio.
 */
function requirePrincipal(policy: Manifest): object {
  const { action, rules } = policy.spec;
  const anyPrincipal = (r: any) => JSON.stringify(r) === JSON.stringify({ from: [{ source: { requestPrincipals: ["*"] } }] });
  if (action !== "ALLOW" || !rules.every(anyPrincipal)) throw new Error(`AuthorizationPolicy ${policy.metadata.name}: shape not translated`);
  return {
    name: "envoy.filters.http.rbac",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
      rules: {
        action: "ALLOW",
        policies: {
          [policy.metadata.name]: {
            permissions: [{ any: true }],
            principals: [{ metadata: { filter: "envoy.filters.http.jwt_authn", path: [{ key: PAYLOAD_KEY }], value: { present_match: true } } }],
          },
        },
      },
    },
  };
}

/**
 * Istio's jwt_authn for jwtRules: one provider each, payload under `payload`, a missing token let
 * through (only an AuthorizationPolicy would require one). The jwksUri is fetched remotely from
 * the test's server (Istio usually inlines it) with a short cache, so key rotation shows quickly.
 */
function jwtAuthn(rules: any[], jwksPort: number): object {
  const providers = Object.fromEntries(rules.map((r, i) => [`origins-${i}`, {
    issuer: r.issuer,
    audiences: r.audiences,
    remote_jwks: {
      http_uri: { uri: `http://127.0.0.1:${jwksPort}${new URL(r.jwksUri).pathname}`, cluster: JWKS_CLUSTER, timeout: "5s" },
      cache_duration: "1s",
    },
    forward: r.forwardOriginalToken ?? false,
    ...(r.outputPayloadToHeader ? { forward_payload_header: r.outputPayloadToHeader } : {}),
    payload_in_metadata: PAYLOAD_KEY,
  }]));
  const requirements = [...Object.keys(providers).map((name) => ({ provider_name: name })), { allow_missing: {} }];
  return {
    name: "envoy.filters.http.jwt_authn",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication",
      providers,
      rules: [{ match: { prefix: "/" }, requires: { requires_any: { requirements } } }],
    },
  };
}
