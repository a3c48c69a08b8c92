// Mapping rules shaped like a large real 3scale product's: versioned REST resources with
// `{placeholders}`, nested sub-resources, format suffixes, `$`-terminated exact paths, query
// parts with placeholders and literal values, five methods and a few metrics. Deterministic, so
// that a measurement made with them can be repeated. Used by the benchmark's memory section and
// the 1,000-rule memory test.

const RESOURCES = [
  "accounts", "users", "products", "orders", "invoices", "payments", "shipments", "carts", "reviews",
  "categories", "warehouses", "suppliers", "coupons", "subscriptions", "webhooks", "reports",
];
const SUBRESOURCES = ["items", "comments", "attachments", "events", "notes", "history", "tags", "members"];
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "PATCH", "DELETE"];
const QUERIES = ["page={page}&per_page={per_page}", "q={query}", "sort=asc", "format=json&fields={fields}", "include=details"];

export interface MappingRule {
  method: string;
  pattern: string;
  usages: { name: string; delta: number }[];
  last?: boolean;
}

/**
 * `count` distinct rules. Their usages name only `metrics` (default: hits, products, orders, the
 * metrics of bench/seed.json's service), so a backend that knows those accepts every report.
 */
export function realisticMappingRules(count: number, metrics: string[] = ["hits", "products", "orders"]): MappingRule[] {
  return Array.from({ length: count }, (_, i) => {
    const version = `v${1 + (i % 3)}`;
    const resource = RESOURCES[i % RESOURCES.length];
    const sub = SUBRESOURCES[Math.floor(i / RESOURCES.length) % SUBRESOURCES.length];
    // a distinct segment per rule, like the many products of a large catalogue
    const scope = `${resource}${Math.floor(i / (RESOURCES.length * SUBRESOURCES.length))}`;
    let pattern: string;
    switch (i % 6) {
      case 0: pattern = `/api/${version}/${scope}`; break;
      case 1: pattern = `/api/${version}/${scope}/{${resource.slice(0, -1)}_id}`; break;
      case 2: pattern = `/api/${version}/${scope}/{${resource.slice(0, -1)}_id}/${sub}/{${sub.slice(0, -1)}_id}`; break;
      case 3: pattern = `/api/${version}/${scope}/{id}/${sub}.json?${QUERIES[i % QUERIES.length]}`; break;
      case 4: pattern = `/api/${version}/${scope}/search?${QUERIES[(i >> 1) % QUERIES.length]}`; break;
      default: pattern = `/api/${version}/${scope}/{id}/${sub}$`; break;
    }
    const usages = [{ name: metrics[i % metrics.length], delta: 1 + (i % 3) }];
    if (i % 4 === 0 && metrics.length > 1) usages.push({ name: metrics[(i + 1) % metrics.length], delta: 1 });
    return { method: METHODS[i % METHODS.length], pattern, usages, ...(i % 50 === 49 && { last: true }) };
  });
}

/** examples/demo/plugin-config.json with `count` realistic rules before its first service's own */
export function demoWithRules(demoText: string, count: number): Record<string, unknown> {
  const config = JSON.parse(demoText) as { services: { mapping_rules: unknown[] }[] };
  config.services[0].mapping_rules = [...realisticMappingRules(count), ...config.services[0].mapping_rules];
  return config;
}

/** a request path (with its query) that `rule` matches: placeholders filled with `n`, `$` dropped */
export function matchingPath(rule: MappingRule, n: number): string {
  return rule.pattern.replace(/\{[^}]+\}/g, String(n)).replace(/\$$/, "");
}
