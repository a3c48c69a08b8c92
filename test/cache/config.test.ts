// `backend.cache` and `failure_policy` in the configuration: what is accepted (with defaults
// and bounds), and for what is rejected, the error naming the field path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import { BACKEND_CLUSTER } from "../support/configs";
import { WASM } from "../support/module";
import { appService, cachedConfig, type CacheSettings, userService } from "./support";

let host: ProxyWasmHost;
beforeAll(async () => { host = await ProxyWasmHost.create({ wasm: WASM, clusters: { [BACKEND_CLUSTER]: () => ({ status: 200 }) } }); });
afterAll(async () => { await host.close(); });

async function configure(cfg: unknown): Promise<{ accepted: boolean; error: string }> {
  const r = await host.configure(typeof cfg === "string" ? cfg : JSON.stringify(cfg));
  return { accepted: r.accepted, error: r.logs.filter((l) => l.level === "error").map((l) => l.message).join("\n") };
}

const withCache = (cache: unknown) => cachedConfig({ cache: cache as CacheSettings });
const withPolicy = (failure_policy: Record<string, unknown>, cache: CacheSettings | null = {}) => cachedConfig({ cache, failure_policy });
const withServicePolicy = (failure_policy: unknown, cache: CacheSettings | null = {}) =>
  cachedConfig({ cache, services: [userService(), appService({ failure_policy })] });

describe("accepted cache and failure policy configurations", () => {
  it.each<[string, unknown]>([
    ["an empty cache object (every field defaulted)", withCache({})],
    ["a null cache (no cache)", withCache(null)],
    ["every field at its lower bound", withCache({ authorization_ttl: 1, report_interval: 1, max_entries: 16, report_retries: 0 })],
    ["every field at its upper bound", withCache({ authorization_ttl: 86400, report_interval: 3600, max_entries: 1000000, report_retries: 100000 })],
    ["mode open without a cache", withPolicy({ mode: "open" }, null)],
    ["mode closed with stale_seconds 0 without a cache", withPolicy({ mode: "closed", stale_seconds: 0 }, null)],
    ["an empty failure_policy", withPolicy({}, null)],
    ["a null failure_policy", { ...cachedConfig(), failure_policy: null }],
    ["stale_seconds with a cache", withPolicy({ stale_seconds: 60 })],
    ["stale_seconds at its upper bound", withPolicy({ mode: "open", stale_seconds: 86400 })],
    ["a per-service policy with stale_seconds and a cache", withServicePolicy({ mode: "closed", stale_seconds: 30 })],
    ["a per-service policy without a cache", withServicePolicy({ mode: "open" }, null)],
    ["a null per-service policy", withServicePolicy(null, null)],
  ])("%s", async (_, cfg) => {
    expect(await configure(cfg)).toEqual({ accepted: true, error: "" });
  });

  it("defaults max_entries to 10000 (the usage table's extent as kept in shared data)", async () => {
    const h = await ProxyWasmHost.create({ wasm: WASM, clusters: { [BACKEND_CLUSTER]: () => ({ status: 200 }) } });
    try {
      expect((await h.configure(JSON.stringify(withCache({})))).accepted).toBe(true);
      expect(h.sharedData.get("authrep-wasm/authrep//u/extent")?.value).toBe("10000");
    } finally {
      await h.close();
    }
  });
});

describe("rejected cache and failure policy configurations name the field", () => {
  const between = (min: number, max: number) => `expected an integer between ${min} and ${max}`;
  it.each<[string, unknown, string]>([
    ["cache as a list", withCache([]), "backend.cache: expected an object, found list"],
    ["cache as true", withCache(true), "backend.cache: expected an object, found true"],
    ["an unknown cache field", withCache({ ttl: 5 }), "backend.cache.ttl: unknown field `ttl`, expected one of authorization_ttl, report_interval, max_entries, report_retries"],
    ["a duplicate cache field", '{"api":"v1","backend":{"upstream":{"name":"c","url":"https://x/"},"cache":{"max_entries":16,"max_entries":17}}}', "backend.cache.max_entries: duplicate field `max_entries`"],
    ["authorization_ttl 0", withCache({ authorization_ttl: 0 }), `backend.cache.authorization_ttl: ${between(1, 86400)}, found number 0`],
    ["authorization_ttl above a day", withCache({ authorization_ttl: 86401 }), `backend.cache.authorization_ttl: ${between(1, 86400)}`],
    ["a null authorization_ttl", withCache({ authorization_ttl: null }), "backend.cache.authorization_ttl: null is not allowed"],
    ["a string authorization_ttl", withCache({ authorization_ttl: "10" }), `backend.cache.authorization_ttl: ${between(1, 86400)}, found string`],
    ["a fractional authorization_ttl", withCache({ authorization_ttl: 1.5 }), `backend.cache.authorization_ttl: ${between(1, 86400)}`],
    ["report_interval 0", withCache({ report_interval: 0 }), `backend.cache.report_interval: ${between(1, 3600)}`],
    ["report_interval above an hour", withCache({ report_interval: 3601 }), `backend.cache.report_interval: ${between(1, 3600)}`],
    ["a negative report_interval", withCache({ report_interval: -1 }), `backend.cache.report_interval: ${between(1, 3600)}`],
    ["a null report_interval", withCache({ report_interval: null }), "backend.cache.report_interval: null is not allowed"],
    ["max_entries 15", withCache({ max_entries: 15 }), `backend.cache.max_entries: ${between(16, 1000000)}`],
    ["max_entries above a million", withCache({ max_entries: 1000001 }), `backend.cache.max_entries: ${between(16, 1000000)}`],
    ["a null max_entries", withCache({ max_entries: null }), "backend.cache.max_entries: null is not allowed"],
    ["report_retries above 100000", withCache({ report_retries: 100001 }), "backend.cache.report_retries: expected a non-negative integer not above 100000"],
    ["a negative report_retries", withCache({ report_retries: -1 }), "backend.cache.report_retries: expected a non-negative integer not above 100000"],
    ["a null report_retries", withCache({ report_retries: null }), "backend.cache.report_retries: null is not allowed"],
    ["failure_policy as a string", withPolicy("open" as unknown as Record<string, unknown>), "failure_policy: expected an object, found string"],
    ["an unknown mode", withPolicy({ mode: "Open" }), "failure_policy.mode: unknown variant `Open`, expected one of closed, open"],
    ["a boolean mode", withPolicy({ mode: true }), "failure_policy.mode: unknown variant true, expected one of closed, open"],
    ["a null mode", withPolicy({ mode: null }), "failure_policy.mode: null is not allowed"],
    ["an unknown policy field", withPolicy({ stale: 5 }), "failure_policy.stale: unknown field `stale`, expected one of mode, stale_seconds"],
    ["stale_seconds above a day", withPolicy({ stale_seconds: 86401 }), "failure_policy.stale_seconds: expected a non-negative integer not above 86400"],
    ["a negative stale_seconds", withPolicy({ stale_seconds: -5 }), "failure_policy.stale_seconds: expected a non-negative integer"],
    ["a null stale_seconds", withPolicy({ stale_seconds: null }), "failure_policy.stale_seconds: null is not allowed"],
    ["a bad per-service mode", withServicePolicy({ mode: "half-open" }), "services[1].failure_policy.mode: unknown variant `half-open`, expected one of closed, open"],
    ["a per-service policy as a list", withServicePolicy([]), "services[1].failure_policy: expected an object, found list"],
    ["an unknown per-service policy field", withServicePolicy({ retries: 1 }), "services[1].failure_policy.retries: unknown field `retries`"],
    ["per-service stale_seconds above a day", withServicePolicy({ stale_seconds: 100000 }), "services[1].failure_policy.stale_seconds: expected a non-negative integer not above 86400"],
  ])("%s", async (_, cfg, message) => {
    const r = await configure(cfg);
    expect(r.accepted).toBe(false);
    expect(r.error).toContain("configuration rejected: ");
    expect(r.error).toContain(message);
  });

  const needsCache = "serving stale authorizations needs `backend.cache`";
  it.each<[string, unknown, string]>([
    ["top-level stale_seconds without backend.cache", withPolicy({ stale_seconds: 30 }, null), `failure_policy.stale_seconds: ${needsCache}`],
    ["top-level stale_seconds with backend.cache null", { ...withPolicy({ stale_seconds: 30 }, null), backend: { upstream: { name: "c", url: "https://x/" }, cache: null } }, `failure_policy.stale_seconds: ${needsCache}`],
    ["top-level stale_seconds without any backend", { api: "v1", services: [userService()], failure_policy: { mode: "open", stale_seconds: 1 } }, `failure_policy.stale_seconds: ${needsCache}`],
    ["per-service stale_seconds without backend.cache", withServicePolicy({ stale_seconds: 30 }, null), `services[1].failure_policy.stale_seconds: ${needsCache}`],
    ["per-service stale_seconds in the first service", cachedConfig({ cache: null, services: [userService({ failure_policy: { mode: "open", stale_seconds: 2 } }), appService()] }), `services[0].failure_policy.stale_seconds: ${needsCache}`],
  ])("%s", async (_, cfg, message) => {
    const r = await configure(cfg);
    expect(r.accepted).toBe(false);
    expect(r.error).toContain(message);
  });
});
