// Builders for plugin configurations used across tests: one minimal valid configuration,
// varied field by field so each test states only what it is about.

export const BACKEND_CLUSTER = "outbound|443||su1.3scale.net";

/** `backend.limits` at their highest: for tests whose large credentials must reach the authrep call */
export const HIGHEST_LIMITS = { max_credential_bytes: 1024 * 1024, max_query_bytes: 1024 * 1024 };

export interface ServiceOptions {
  id?: string;
  token?: string | null;
  authorities?: string[];
  credentials?: unknown;
  mapping_rules?: unknown[];
}

export function service(o: ServiceOptions = {}): Record<string, unknown> {
  const s: Record<string, unknown> = {
    id: o.id ?? "2555417900001",
    authorities: o.authorities ?? ["*"],
    credentials: o.credentials ?? {
      user_key: [{ query_string: { keys: ["user_key"] } }, { header: { keys: ["user_key"] } }],
      app_id: [{ header: { keys: ["x-app-id"] } }, { query_string: { keys: ["app_id"] } }],
      app_key: [{ header: { keys: ["x-app-key"] } }, { query_string: { keys: ["app_key"] } }],
    },
    mapping_rules: o.mapping_rules ?? [
      { method: "GET", pattern: "/", usages: [{ name: "hits", delta: 1 }] },
      { method: "GET", pattern: "/products/", usages: [{ name: "products", delta: 1 }] },
    ],
  };
  if (o.token !== null) s.token = o.token ?? "st-6e2d";
  return s;
}

export function config(services: unknown[] = [service()], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    api: "v1",
    backend: { name: "backend", upstream: { name: BACKEND_CLUSTER, url: "https://su1.3scale.net/", timeout: 5000 } },
    services,
    ...extra,
  };
}
