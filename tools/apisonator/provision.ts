// Provisions a simulator seed (tools/simulator/seed.ts) into Apisonator through the internal API,
// so one description of services, metrics, plans and applications serves both backends.
import type { Seed } from "../simulator/seed";
import { InternalApi } from "./internal";

/** Apisonator's id of the i-th metric of a service (requests use names; limits use ids). */
export const metricId = (index: number) => `m${index + 1}`;

/** Creates everything in the seed; `providers` and mapping rules have no Apisonator counterpart. */
export async function provisionSeed(api: InternalApi, seed: Seed): Promise<void> {
  // the simulator's default service of a provider: providers[].defaultService, else its first service
  const defaults = new Map<string, string | null>();
  for (const s of seed.services) if (!defaults.has(s.providerKey)) defaults.set(s.providerKey, s.id);
  for (const p of seed.providers ?? []) if (p.defaultService !== undefined) defaults.set(p.key, p.defaultService);
  for (const s of seed.services) {
    await api.createService(s.id, {
      defaultService: defaults.get(s.providerKey) === s.id,
      providerKey: s.providerKey, backendVersion: s.mode ?? "1", state: s.active === false ? "suspended" : "active",
      referrerFiltersRequired: s.referrerFiltersRequired,
    });
    if (s.tokens?.length) await api.addServiceTokens(s.id, s.tokens);
    const metrics = s.metrics ?? [{ name: "hits" }];
    const ids = new Map(metrics.map((m, i) => [m.name, metricId(i)]));
    for (const m of metrics) await api.createMetric(s.id, ids.get(m.name)!, m.name, m.parent && ids.get(m.parent));
    for (const plan of s.plans ?? []) {
      for (const l of plan.limits ?? []) await api.setUsageLimit(s.id, plan.name, ids.get(l.metric)!, l.period, l.max);
    }
    for (const a of s.applications ?? []) {
      const plan = a.plan ?? s.plans?.[0]?.name ?? "Default";
      await api.saveApplication(s.id, a.id, { planId: plan, planName: plan, state: a.state, redirectUrl: a.redirectUrl });
      for (const key of a.keys ?? []) await api.addApplicationKey(s.id, a.id, key);
      for (const filter of a.referrerFilters ?? []) await api.addReferrerFilter(s.id, a.id, filter);
      if (a.userKey !== undefined) await api.setUserKey(s.id, a.id, a.userKey);
    }
  }
}
