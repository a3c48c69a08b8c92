// A client of Apisonator's internal API (app/api/internal/*.rb in the kit): provisioning of
// services, service tokens, metrics, plan limits, applications and their keys, and reading the
// usage it recorded. There is no authentication on the kit's instance.
import type { Period } from "../simulator/periods";

export interface ServiceAttributes {
  providerKey: string;
  /** "1" user_key, "2" app_id + app_key, "oauth" */
  backendVersion: string;
  /** "active" (default) or "suspended" */
  state?: string;
  referrerFiltersRequired?: boolean;
  /** the service used when a call gives a provider_key and no service_id (none unless set) */
  defaultService?: boolean;
}

export interface ApplicationAttributes {
  planId: string;
  planName?: string;
  /** "active" (default), "suspended", … */
  state?: string;
  redirectUrl?: string;
}

/** One limit of the application's plan with its counter in the current period. */
export interface Utilization {
  period: Period;
  metric_name: string;
  max_value: number;
  current_value: number;
}

/** An application by id (app_id services) or by user key (user_key services: backend_version "1"). */
export type AppRef = { appId: string } | { userKey: string };

const seg = encodeURIComponent;
const unescapeXml = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

export class InternalApi {
  private readonly providerKeys = new Map<string, string>();

  constructor(readonly url: string) {}

  createService(id: string, a: ServiceAttributes): Promise<unknown> {
    return this.call("POST", "/services/", {
      service: {
        id, provider_key: a.providerKey, backend_version: a.backendVersion, state: a.state ?? "active",
        referrer_filters_required: a.referrerFiltersRequired ?? false, default_service: a.defaultService ?? false,
      },
    });
  }

  addServiceTokens(serviceId: string, tokens: string[]): Promise<unknown> {
    return this.call("POST", "/service_tokens/", { service_tokens: Object.fromEntries(tokens.map((t) => [t, { service_id: serviceId }])) });
  }

  /** `id` is the metric's id, `name` what requests use; `parentId` makes it a child metric. */
  createMetric(serviceId: string, id: string, name: string, parentId?: string): Promise<unknown> {
    return this.call("POST", `/services/${seg(serviceId)}/metrics/${seg(id)}`, { metric: { name, ...(parentId && { parent_id: parentId }) } });
  }

  setUsageLimit(serviceId: string, planId: string, metricId: string, period: Period, max: number): Promise<unknown> {
    return this.call("PUT", `/services/${seg(serviceId)}/plans/${seg(planId)}/usagelimits/${seg(metricId)}/${period}`, { usagelimit: { [period]: max } });
  }

  /** Creates or replaces an application (also how its state changes). */
  saveApplication(serviceId: string, id: string, a: ApplicationAttributes): Promise<unknown> {
    return this.call("PUT", `/services/${seg(serviceId)}/applications/${seg(id)}`, {
      application: {
        state: a.state ?? "active", plan_id: a.planId, plan_name: a.planName ?? a.planId, ...(a.redirectUrl && { redirect_url: a.redirectUrl }),
      },
    });
  }

  deleteApplication(serviceId: string, id: string): Promise<unknown> {
    return this.call("DELETE", `/services/${seg(serviceId)}/applications/${seg(id)}`);
  }

  addApplicationKey(serviceId: string, appId: string, key: string): Promise<unknown> {
    return this.call("POST", `/services/${seg(serviceId)}/applications/${seg(appId)}/keys/`, { application_key: { value: key } });
  }

  addReferrerFilter(serviceId: string, appId: string, filter: string): Promise<unknown> {
    return this.call("POST", `/services/${seg(serviceId)}/applications/${seg(appId)}/referrer_filters`, { referrer_filter: filter });
  }

  /** Maps a user_key to the application (user-key services: backend_version "1"). */
  setUserKey(serviceId: string, appId: string, userKey: string): Promise<unknown> {
    return this.call("PUT", `/services/${seg(serviceId)}/applications/${seg(appId)}/key/${seg(userKey)}`);
  }

  /** Unmaps a user_key (3scale's admin portal does so when it deletes the application owning it). */
  deleteUserKey(serviceId: string, userKey: string): Promise<unknown> {
    return this.call("DELETE", `/services/${seg(serviceId)}/applications/key/${seg(userKey)}`);
  }

  /** What the worker rejected in reports it had accepted (202), newest first. */
  async errors(serviceId: string): Promise<{ code: string; message: string }[]> {
    return ((await this.call("GET", `/services/${seg(serviceId)}/errors/?per_page=1000`)) as { errors: { code: string; message: string }[] }).errors;
  }

  /** The service's stored attributes (provider_key, backend_version, state, …). */
  async service(id: string): Promise<Record<string, unknown>> {
    return ((await this.call("GET", `/services/${seg(id)}`)) as { service: Record<string, unknown> }).service;
  }

  /**
   * The application's limits with the counters of their current periods (metrics without a limit
   * are not listed). Read through authorize.xml with a body, which loads every limit: the internal
   * utilization route answers from the listener's memoized application, which after a `no_body`
   * call only holds the limits that call needed, for up to a minute.
   */
  async usageReports(serviceId: string, app: AppRef): Promise<Utilization[]> {
    let providerKey = this.providerKeys.get(serviceId);
    if (providerKey === undefined) this.providerKeys.set(serviceId, providerKey = (await this.service(serviceId)).provider_key as string);
    const credential = "userKey" in app ? `user_key=${seg(app.userKey)}` : `app_id=${seg(app.appId)}`;
    const query = `service_id=${seg(serviceId)}&provider_key=${seg(providerKey)}&${credential}`;
    const response = await fetch(`${this.url}/transactions/authorize.xml?${query}`);
    const body = await response.text();
    if (!body.includes("<status>")) throw new Error(`Apisonator authorize.xml for ${serviceId} ${credential}: ${response.status} ${body}`);
    const reports = body.matchAll(/<usage_report metric="([^"]*)" period="(\w+)"[^>]*>.*?<max_value>(\d+)<\/max_value><current_value>(\d+)<\/current_value>/g);
    return [...reports].map(([, metric, period, max, current]) => ({
      metric_name: unescapeXml(metric!), period: period as Period, max_value: Number(max), current_value: Number(current),
    }));
  }

  /** The counter of a metric in the current instance of a period; the plan needs a limit on it there. */
  async usage(serviceId: string, app: AppRef, metric: string, period: Period = "eternity"): Promise<number> {
    const all = await this.usageReports(serviceId, app);
    const found = all.find((u) => u.metric_name === metric && u.period === period);
    if (!found) throw new Error(`no ${period} limit on ${metric} for ${serviceId} ${JSON.stringify(app)}, usage unreadable: ${JSON.stringify(all)}`);
    return found.current_value;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}/internal${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Apisonator internal API ${method} ${path}: ${response.status} ${text}`);
    return text === "" ? undefined : JSON.parse(text);
  }
}
