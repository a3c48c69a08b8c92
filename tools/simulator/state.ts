// The simulator's model (tools/simulator/README.md): services, applications, metrics, limits, counters
// and promoted proxy-config documents, with an injectable clock.
import { PERIODS, type Period, periodStart } from "./periods";

/** `1` user key, `2` app id + app key, `oauth` for OAuth and OIDC services. */
export type ServiceMode = "1" | "2" | "oauth";
export type Environment = "production" | "sandbox";

export interface Metric {
  id: number;
  name: string;
  parent?: string;
}

export interface Limit {
  metric: string;
  period: Period;
  max: number;
}

export interface MappingRule {
  method: string;
  pattern: string;
  metric: string;
  delta: number;
  last: boolean;
}

export interface Service {
  id: string;
  providerKey: string;
  name: string;
  systemName: string;
  mode: ServiceMode;
  active: boolean;
  referrerFiltersRequired: boolean;
  tokens: string[];
  /** In creation order, which is also the order of usage reports. */
  metrics: Metric[];
  /** plan name -> limits */
  plans: Map<string, Limit[]>;
  mappingRules: MappingRule[];
}

export interface Application {
  id: string;
  serviceId: string;
  /** `active`, `suspended`, … */
  state: string;
  plan: string;
  keys: string[];
  userKey?: string;
  referrerFilters: string[];
  redirectUrl?: string;
}

export interface Provider {
  key: string;
  /** Used when a caller authenticates with this provider key and no service_id. */
  defaultServiceId?: string;
  /** Account Management API access tokens of this account (Part B). */
  accessTokens: string[];
}

/** A usage entry: a delta, or `#n` which sets the counter. */
export interface UsageValue {
  set: boolean;
  value: number;
}

type Clock = () => number;

export class SimState {
  readonly services = new Map<string, Service>();
  readonly providers = new Map<string, Provider>();
  /** Promoted proxy-config documents by `serviceId/environment`. */
  readonly proxyConfigs = new Map<string, unknown>();
  private readonly applications = new Map<string, Application>();
  private readonly counters = new Map<string, number>();
  private sequence = 0;

  constructor(public now: Clock = Date.now) {}

  addService(service: Omit<Service, "metrics"> & { metrics?: Omit<Metric, "id">[] }): Service {
    const stored: Service = { ...service, metrics: [] };
    this.services.set(stored.id, stored);
    for (const metric of service.metrics ?? []) this.addMetric(stored.id, metric.name, metric.parent);
    const provider = this.providers.get(service.providerKey);
    if (!provider) this.providers.set(service.providerKey, { key: service.providerKey, defaultServiceId: service.id, accessTokens: [] });
    else provider.defaultServiceId ??= service.id;
    return stored;
  }

  addMetric(serviceId: string, name: string, parent?: string): Metric {
    const service = this.requireService(serviceId);
    if (parent !== undefined && !this.metric(service, parent)) throw new Error(`service ${serviceId}: unknown parent metric ${parent}`);
    const metric: Metric = { id: this.nextId(), name, parent };
    service.metrics.push(metric);
    return metric;
  }

  addApplication(app: Application): Application {
    this.requireService(app.serviceId);
    this.applications.set(appKey(app.serviceId, app.id), app);
    return app;
  }

  /** Removes the application (its counters stay, as in apisonator); false if there was none. */
  deleteApplication(serviceId: string, id: string): boolean {
    return this.applications.delete(appKey(serviceId, id));
  }

  /** Ids for metrics, config versions and rules, unique within this simulator. */
  nextId(): number {
    return ++this.sequence;
  }

  requireService(id: string): Service {
    const service = this.services.get(id);
    if (!service) throw new Error(`unknown service ${id}`);
    return service;
  }

  application(serviceId: string, id: string): Application | undefined {
    return this.applications.get(appKey(serviceId, id));
  }

  applicationByUserKey(serviceId: string, userKey: string): Application | undefined {
    for (const app of this.applications.values()) {
      if (app.serviceId === serviceId && app.userKey === userKey) return app;
    }
    return undefined;
  }

  /** Application by id, or by user key when no application has that id. */
  findApplication(serviceId: string, idOrUserKey: string): Application | undefined {
    return this.application(serviceId, idOrUserKey) ?? this.applicationByUserKey(serviceId, idOrUserKey);
  }

  metric(service: Service, name: string): Metric | undefined {
    return service.metrics.find((m) => m.name === name);
  }

  /** Parent, grandparent, … of a metric. */
  ancestors(service: Service, name: string): string[] {
    const result: string[] = [];
    for (let parent = this.metric(service, name)?.parent; parent !== undefined; parent = this.metric(service, parent)?.parent) {
      if (result.includes(parent)) break; // a cycle in a hand-edited model must not hang the server
      result.push(parent);
    }
    return result;
  }

  children(service: Service, name: string): string[] {
    return service.metrics.filter((m) => m.parent === name).map((m) => m.name);
  }

  descendants(service: Service, name: string): string[] {
    return service.metrics.filter((m) => this.ancestors(service, m.name).includes(name)).map((m) => m.name);
  }

  /** The application's limits ordered by metric, then longest period first; limits on deleted metrics are skipped. */
  limits(app: Application): Limit[] {
    const service = this.requireService(app.serviceId);
    const order = (limit: Limit) => service.metrics.findIndex((m) => m.name === limit.metric);
    return (service.plans.get(app.plan) ?? [])
      .filter((limit) => order(limit) >= 0)
      .sort((a, b) => order(a) - order(b) || PERIODS.indexOf(a.period) - PERIODS.indexOf(b.period));
  }

  counter(app: Application, metric: string, period: Period, at = this.now()): number {
    return this.counters.get(counterKey(app, metric, period, at)) ?? 0;
  }

  /** Applies recorded usage to every period instance containing `at` (A.8). */
  record(app: Application, usage: Map<string, UsageValue>, at = this.now()): void {
    for (const [metric, { set, value }] of usage) {
      for (const period of PERIODS) {
        const key = counterKey(app, metric, period, at);
        this.counters.set(key, set ? value : (this.counters.get(key) ?? 0) + value);
      }
    }
  }

  /** Sum over all applications (optionally of one service) of a metric's all-time counter. */
  totalUsage(metric: string, serviceId?: string): number {
    let total = 0;
    for (const app of this.applications.values()) {
      if (serviceId === undefined || app.serviceId === serviceId) total += this.counter(app, metric, "eternity");
    }
    return total;
  }
}

const appKey = (serviceId: string, appId: string) => `${serviceId}\0${appId}`;

const counterKey = (app: Application, metric: string, period: Period, at: number) =>
  `${app.serviceId}\0${app.id}\0${metric}\0${period}\0${periodStart(period, at)}`;
