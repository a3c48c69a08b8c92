// The JSON seed format: services with their metrics, plans (limits), applications and mapping rules.
import { readFileSync } from "node:fs";
import { isPeriod, type Period } from "./periods";
import type { Environment, Limit, ServiceMode, SimState } from "./state";

export interface Seed {
  services: SeedService[];
  /** Optional per-provider settings; providers are otherwise implied by the services' keys. */
  providers?: SeedProvider[];
}

export interface SeedProvider {
  key: string;
  /** Default service for calls without service_id: the provider's first service unless set; null for none. */
  defaultService?: string | null;
  /** Account Management API access tokens accepted by the proxy-config endpoint. */
  accessTokens?: string[];
}

export interface SeedService {
  id: string;
  providerKey: string;
  name?: string;
  systemName?: string;
  /** `1` user key (default), `2` app id + key, `oauth` OAuth/OIDC. */
  mode?: ServiceMode;
  active?: boolean;
  referrerFiltersRequired?: boolean;
  tokens?: string[];
  /** In order; parents before children. Default: a single `hits` metric. */
  metrics?: { name: string; parent?: string }[];
  plans?: { name: string; limits?: { metric: string; period: Period; max: number }[] }[];
  applications?: SeedApplication[];
  mappingRules?: { method?: string; pattern: string; metric?: string; delta?: number; last?: boolean }[];
  /** Environments the initial proxy config is promoted to (default both). */
  environments?: Environment[];
}

export interface SeedApplication {
  id: string;
  /** Default: the service's first plan. */
  plan?: string;
  state?: string;
  keys?: string[];
  userKey?: string;
  referrerFilters?: string[];
  redirectUrl?: string;
}

const MODES: readonly ServiceMode[] = ["1", "2", "oauth"];

export function readSeedFile(path: string): Seed {
  return JSON.parse(readFileSync(path, "utf8")) as Seed;
}

/** Loads a seed into the state; `promote` publishes the initial proxy config of a service. */
export function applySeed(state: SimState, seed: Seed, promote: (serviceId: string, env: Environment) => void): void {
  for (const s of seed.services) {
    const where = `seed service ${s.id}`;
    if (!s.id || !s.providerKey) throw new Error(`${where}: id and providerKey are required`);
    if (s.mode !== undefined && !MODES.includes(s.mode)) throw new Error(`${where}: mode must be one of ${MODES.join(", ")}`);
    const metrics = s.metrics ?? [{ name: "hits" }];
    const plans = new Map((s.plans ?? []).map((plan) => [plan.name, (plan.limits ?? []).map((l) => checkLimit(where, metrics, l))]));
    state.addService({
      id: s.id, providerKey: s.providerKey, name: s.name ?? `Service ${s.id}`, systemName: s.systemName ?? `service-${s.id}`,
      mode: s.mode ?? "1", active: s.active ?? true, referrerFiltersRequired: s.referrerFiltersRequired ?? false,
      tokens: s.tokens ?? [], metrics, plans,
      mappingRules: (s.mappingRules ?? []).map((r) => ({
        method: (r.method ?? "GET").toUpperCase(), pattern: r.pattern, metric: r.metric ?? "hits", delta: r.delta ?? 1, last: r.last ?? false,
      })),
    });
    for (const a of s.applications ?? []) {
      const plan = a.plan ?? s.plans?.[0]?.name ?? "Default";
      if (a.plan !== undefined && !plans.has(plan)) throw new Error(`${where}: application ${a.id} has unknown plan ${plan}`);
      state.addApplication({
        id: a.id, serviceId: s.id, state: a.state ?? "active", plan, keys: a.keys ?? [], userKey: a.userKey,
        referrerFilters: a.referrerFilters ?? [], redirectUrl: a.redirectUrl,
      });
    }
  }
  for (const p of seed.providers ?? []) {
    const provider = state.providers.get(p.key) ?? { key: p.key, accessTokens: [] };
    if (p.defaultService !== undefined) provider.defaultServiceId = p.defaultService ?? undefined;
    provider.accessTokens.push(...(p.accessTokens ?? []));
    state.providers.set(p.key, provider);
  }
  for (const s of seed.services) {
    for (const env of s.environments ?? ["production", "sandbox"]) promote(s.id, env);
  }
}

function checkLimit(where: string, metrics: { name: string }[], limit: Limit): Limit {
  if (!metrics.some((m) => m.name === limit.metric)) throw new Error(`${where}: limit on unknown metric ${limit.metric}`);
  if (!isPeriod(limit.period)) throw new Error(`${where}: unknown period ${String(limit.period)}`);
  if (!Number.isInteger(limit.max) || limit.max < 0) throw new Error(`${where}: limit max must be a non-negative integer`);
  return { metric: limit.metric, period: limit.period, max: limit.max };
}
