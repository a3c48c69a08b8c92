// The simulator against the real 3scale backend: one request sequence (every parameter form the
// module produces, and malformed ones) sent to both, comparing what the module reads — status,
// 3scale-rejection-reason, 3scale-limit-* — plus the XML error code and `<authorized>` of the
// body, and the usage each counted afterwards. Guards tools/simulator from drifting.
import { beforeAll, describe, expect, it } from "vitest";
import type { Seed } from "../../tools/simulator/seed";
import { startSimulator, type Simulator } from "../../tools/simulator/server";
import type { Period } from "../../tools/simulator/periods";
import { provisionSeed } from "../../tools/apisonator/provision";
import { apisonatorSource, encode, rawCall, type RawAnswer, settled, useApisonator } from "./support";

const PK = "pk-conf";
// numeric ids, as 3scale's: apisonator cannot make a non-numeric service a provider's default
const UK = { id: "7001", token: "tok-uk" };
const APP = { id: "7002", token: "tok-app" };
const ODD_KEY = "a&b=c%d e+f?#[]";
const UTF_KEY = "clé-ü-🙂";
const LONG_KEY = "Ab9-".repeat(1500); // 6,000 characters: long, but under puma's 10 KiB query limit
const ODD_METRIC = "métrique/ü";
const ODD_APP = "id&=ü";
const BIG = 1_000_000_000; // an eternity limit never reached: it makes the counter readable

const seed: Seed = {
  services: [
    {
      id: UK.id, providerKey: PK, mode: "1", tokens: [UK.token],
      metrics: [{ name: "hits" }, { name: "products", parent: "hits" }, { name: "orders", parent: "hits" }, { name: ODD_METRIC }],
      plans: [
        { name: "Basic", limits: ["hits", "products", "orders", ODD_METRIC].map((metric) => ({ metric, period: "eternity" as Period, max: BIG })) },
        { name: "Trial", limits: [{ metric: "hits", period: "hour", max: 3 }, { metric: "hits", period: "eternity", max: BIG }] },
        { name: "Free" },
      ],
      applications: [
        { id: "uk-basic", userKey: "uk-1" },
        { id: "uk-odd", userKey: ODD_KEY },
        { id: "uk-utf", userKey: UTF_KEY },
        { id: "uk-long", userKey: LONG_KEY },
        { id: "uk-trial", plan: "Trial", userKey: "uk-trial" },
        { id: "uk-free", plan: "Free", userKey: "uk-free" },
        { id: "uk-susp", state: "suspended", userKey: "uk-susp" },
        { id: "uk-gone", userKey: "uk-gone" },
      ],
    },
    {
      id: APP.id, providerKey: PK, mode: "2", tokens: [APP.token],
      metrics: [{ name: "hits" }, { name: "products", parent: "hits" }],
      plans: [
        { name: "Basic", limits: [{ metric: "hits", period: "eternity", max: BIG }, { metric: "products", period: "eternity", max: BIG }] },
        { name: "Capped", limits: [{ metric: "products", period: "day", max: 2 }, { metric: "hits", period: "eternity", max: BIG }] },
      ],
      applications: [
        { id: "app-1", keys: ["key-1", "key-2"] },
        { id: "app-nokey" },
        { id: ODD_APP, keys: ["k&=ü"] },
        { id: "app-capped", plan: "Capped", keys: ["kc"] },
        { id: "app-susp", state: "suspended", keys: ["ks"] },
        { id: "app-gone", keys: ["kg"] },
      ],
    },
  ],
};

/** What the module asks for; the body variant is checked too, for the XML error codes. */
const MODULE_OPTIONS = "no_body=1&rejection_reason_header=1&limit_headers=1";
const BODY_OPTIONS = "rejection_reason_header=1&limit_headers=1";

interface Case {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const q = (svc: { id: string; token: string }, rest: string) => `service_id=${svc.id}&service_token=${svc.token}&${rest}`;
const authrep = (name: string, query: string, options = MODULE_OPTIONS): Case =>
  ({ name, path: `/transactions/authrep.xml?${query}`, headers: options ? { "3scale-options": options } : {} });
const authorize = (name: string, query: string, options = MODULE_OPTIONS): Case =>
  ({ name, path: `/transactions/authorize.xml?${query}`, headers: { "3scale-options": options } });
/** A batched report in the module's form: brackets encoded, one transaction per credential ("name=value" fields). */
const report = (name: string, svc: { id: string; token: string }, transactions: string[][]): Case => ({
  name, method: "POST", path: "/transactions.xml", headers: { "content-type": "application/x-www-form-urlencoded" },
  body: `service_token=${svc.token}&service_id=${svc.id}` + transactions.map((fields, i) => fields.map((field) => {
    const [key, value] = field.split("=");
    const name = [`transactions`, String(i), ...key!.split(/[[\]]+/).filter(Boolean)].map((p, n) => (n ? `%5B${p}%5D` : p)).join("");
    return `&${name}=${value}`;
  }).join("")).join(""),
});

const cases: Case[] = [
  // the forms the module produces
  authrep("user_key", q(UK, "user_key=uk-1&usage[hits]=1")),
  authrep("several metrics (children of hits)", q(UK, "user_key=uk-1&usage[products]=2&usage[orders]=1")),
  authrep("reserved characters in a user_key", q(UK, `user_key=${encode(ODD_KEY)}&usage[hits]=1`)),
  authrep("non-ASCII user_key", q(UK, `user_key=${encode(UTF_KEY)}&usage[hits]=1`)),
  authrep("6,000-character user_key", q(UK, `user_key=${encode(LONG_KEY)}&usage[hits]=2`)),
  authrep("percent-encoded non-ASCII metric name", q(UK, `user_key=uk-1&usage[${encode(ODD_METRIC)}]=3`)),
  authrep("provider_key instead of service_token", `service_id=${UK.id}&provider_key=${PK}&user_key=uk-1&usage[hits]=1`),
  authrep("provider_key, no service_id: the default service", `provider_key=${PK}&user_key=uk-1&usage[orders]=1`),
  authrep("no limits: limit headers -1", q(UK, "user_key=uk-free&usage[hits]=1")),
  authrep("without 3scale-options", q(UK, "user_key=uk-1&usage[hits]=1"), ""),
  authrep("app_id + app_key", q(APP, "app_id=app-1&app_key=key-1&usage[hits]=1")),
  authrep("app_id + the second app_key", q(APP, "app_id=app-1&app_key=key-2&usage[products]=1")),
  authrep("app_id alone, application without keys", q(APP, "app_id=app-nokey&usage[hits]=1")),
  authrep("app_id with a key, application without keys", q(APP, "app_id=app-nokey&app_key=any&usage[hits]=1")),
  authrep("reserved and non-ASCII app_id and app_key", q(APP, `app_id=${encode(ODD_APP)}&app_key=${encode("k&=ü")}&usage[hits]=1`)),
  authorize("authorize, no usage", q(UK, "user_key=uk-1")),
  authorize("authorize with usage", q(APP, "app_id=app-1&app_key=key-1&usage[products]=1")),
  // limits
  ...[1, 2, 3, 4].map((n) => authrep(`hour limit of 3, call ${n}`, q(UK, "user_key=uk-trial&usage[hits]=1"))),
  authrep("limits exceeded, body", q(UK, "user_key=uk-trial&usage[hits]=1"), BODY_OPTIONS),
  authorize("authorize, limits exceeded", q(UK, "user_key=uk-trial&usage[hits]=1")),
  authorize("authorize without usage, at the limit", q(UK, "user_key=uk-trial")),
  authrep("limit on a child metric only, hits unlimited by period", q(APP, "app_id=app-capped&app_key=kc&usage[products]=2")),
  authrep("child limit exceeded", q(APP, "app_id=app-capped&app_key=kc&usage[products]=1")),
  authrep("parent only: child limit not involved", q(APP, "app_id=app-capped&app_key=kc&usage[hits]=1")),
  // denials and errors, without and with a body
  ...[MODULE_OPTIONS, BODY_OPTIONS].flatMap((o) => [
    authrep(`wrong user_key [${o}]`, q(UK, "user_key=nope&usage[hits]=1"), o),
    authrep(`missing user_key [${o}]`, q(UK, "usage[hits]=1"), o),
    authrep(`unknown metric [${o}]`, q(UK, "user_key=uk-1&usage[nope]=1"), o),
    authrep(`usage value not a number [${o}]`, q(UK, "user_key=uk-1&usage[hits]=abc"), o),
    authrep(`negative usage value [${o}]`, q(UK, "user_key=uk-1&usage[hits]=-1"), o),
    authrep(`suspended application (user_key) [${o}]`, q(UK, "user_key=uk-susp&usage[hits]=1"), o),
    authrep(`suspended application (app_id) [${o}]`, q(APP, "app_id=app-susp&app_key=ks&usage[hits]=1"), o),
    authrep(`wrong app_key [${o}]`, q(APP, "app_id=app-1&app_key=nope&usage[hits]=1"), o),
    authrep(`missing app_key [${o}]`, q(APP, "app_id=app-1&usage[hits]=1"), o),
    authrep(`empty app_key [${o}]`, q(APP, "app_id=app-1&app_key=&usage[hits]=1"), o),
    authrep(`unknown app_id [${o}]`, q(APP, "app_id=nope&app_key=x&usage[hits]=1"), o),
    authrep(`deleted application [${o}]`, q(APP, "app_id=app-gone&app_key=kg&usage[hits]=1"), o),
    authrep(`user_key on an app_id service [${o}]`, q(APP, "user_key=uk-1&usage[hits]=1"), o),
    authrep(`app_id and user_key [${o}]`, q(UK, "app_id=uk-basic&user_key=uk-1&usage[hits]=1"), o),
    authrep(`service_token without service_id [${o}]`, `service_token=${UK.token}&user_key=uk-1&usage[hits]=1`, o),
    authrep(`no service_token nor provider_key [${o}]`, `service_id=${UK.id}&user_key=uk-1&usage[hits]=1`, o),
    authrep(`wrong service_token [${o}]`, `service_id=${UK.id}&service_token=nope&user_key=uk-1&usage[hits]=1`, o),
    authrep(`token of another service [${o}]`, `service_id=${UK.id}&service_token=${APP.token}&user_key=uk-1&usage[hits]=1`, o),
    authrep(`unknown service_id [${o}]`, `service_id=nope&service_token=${UK.token}&user_key=uk-1&usage[hits]=1`, o),
    authrep(`wrong provider_key [${o}]`, `service_id=${UK.id}&provider_key=nope&user_key=uk-1&usage[hits]=1`, o),
    authrep(`bad percent-encoding [${o}]`, q(UK, "user_key=uk%zz1&usage[hits]=1"), o),
    authrep(`invalid UTF-8 [${o}]`, q(UK, "user_key=uk%FF1&usage[hits]=1"), o),
  ]),
  // batched reports (answered 202 whatever the transactions hold)
  report("report: two user keys", UK, [["user_key=uk-1", "usage[hits]=2"], [`user_key=${encode(ODD_KEY)}`, "usage[products]=1"]]),
  report("report: a suspended application is counted", UK, [["user_key=uk-susp", "usage[hits]=4"]]),
  report("report: app ids", APP, [["app_id=app-1", "usage[hits]=3"], [`app_id=${encode(ODD_APP)}`, "usage[products]=2"]]),
  report("report: one unknown user_key", UK, [["user_key=uk-1", "usage[hits]=5"], ["user_key=nope", "usage[hits]=1"]]),
  report("report: one unknown metric", UK, [["user_key=uk-1", "usage[hits]=7"], ["user_key=uk-free", "usage[nope]=1"]]),
  report("report: one deleted application", APP, [["app_id=app-1", "usage[hits]=11"], ["app_id=app-gone", "usage[hits]=1"]]),
  report("report: one bad usage value", APP, [["app_id=app-1", "usage[hits]=13"], ["app_id=app-nokey", "usage[hits]=x"]]),
  report("report: app_id and user_key in one transaction", APP, [["app_id=app-1", "usage[hits]=17"], ["app_id=app-nokey", "user_key=uk-1", "usage[hits]=1"]]),
  report("report: a zero usage is dropped before validation", UK, [["user_key=uk-1", "usage[hits]=19"], ["user_key=nope", "usage[hits]=0"]]),
  report("report: the last transaction after 3 good ones is bad", UK,
    [["user_key=uk-1", "usage[hits]=23"], ["user_key=uk-free", "usage[hits]=1"], ["user_key=uk-trial", "usage[hits]=1"], ["user_key=uk-gone", "usage[hits]=1"]]),
  { name: "report: no transactions", method: "POST", path: "/transactions.xml", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `service_token=${UK.token}&service_id=${UK.id}` },
  { name: "report: no service_id", method: "POST", path: "/transactions.xml", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `service_token=${UK.token}&transactions%5B0%5D%5Buser_key%5D=uk-1&transactions%5B0%5D%5Busage%5D%5Bhits%5D=1` },
];

/** What the module reads, plus the body's error code and verdict. */
function observed(a: RawAnswer): Record<string, string | number | undefined> {
  return {
    status: a.status,
    rejection: a.headers["3scale-rejection-reason"] as string | undefined,
    remaining: a.headers["3scale-limit-remaining"] as string | undefined,
    reset: a.headers["3scale-limit-reset"] as string | undefined,
    max: a.headers["3scale-limit-max-value"] as string | undefined,
    error: /<error code="([^"]*)"/.exec(a.body)?.[1],
    authorized: /<authorized>(\w+)<\/authorized>/.exec(a.body)?.[1],
  };
}

/** Differences, with the period reset allowed to differ by the seconds between the two calls. */
function differences(sim: Record<string, unknown>, real: Record<string, unknown>): string[] {
  return Object.keys(real).filter((k) => {
    if (k === "reset" && sim[k] !== undefined && real[k] !== undefined) return Math.abs(Number(sim[k]) - Number(real[k])) > 2;
    return sim[k] !== real[k];
  });
}

describe.skipIf(!apisonatorSource)("simulator conformance with Apisonator", () => {
  const backend = useApisonator();
  let sim: Simulator;

  beforeAll(async () => {
    // the hour and day limits must not reset in the middle of the sequence
    const toNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (toNextHour < 90_000) await new Promise((resolve) => setTimeout(resolve, toNextHour + 1000));
    sim = await startSimulator({ seed });
    await provisionSeed(backend.internal, seed);
    for (const [svc, app] of [[APP.id, "app-gone"], [UK.id, "uk-gone"]] as const) {
      await backend.internal.deleteApplication(svc, app);
      sim.state.deleteApplication(svc, app);
    }
    return () => sim.close();
  }, 200_000);

  it("answers every call as Apisonator does, and counts the same usage", async () => {
    const counters = seed.services.flatMap((s) => (s.applications ?? []).filter((a) => !a.id.endsWith("-gone")).flatMap((a) => {
      const plan = s.plans!.find((p) => p.name === (a.plan ?? "Basic"))!;
      const ref = a.userKey !== undefined ? { userKey: a.userKey } : { appId: a.id };
      return (plan.limits ?? []).map((l) => ({ service: s.id, app: a.id, ref, metric: l.metric, period: l.period }));
    }));
    const simulated = () => counters.map((c) => sim.usage(c.service, c.app, c.metric, c.period));
    const apps = [...new Map(counters.map((c) => [`${c.service}/${c.app}`, c])).values()];
    const recorded = async () => {
      const reports = new Map(await Promise.all(apps.map(async (c) => [`${c.service}/${c.app}`, await backend.internal.usageReports(c.service, c.ref)] as const)));
      return counters.map((c) => reports.get(`${c.service}/${c.app}`)!.find((r) => r.metric_name === c.metric && r.period === c.period)?.current_value);
    };
    const same = (real: (number | undefined)[]) => JSON.stringify(real) === JSON.stringify(simulated());

    const mismatches: string[] = [];
    let counted = false;
    for (const c of cases) {
      // limits and limit headers depend on what was counted: wait for Apisonator's worker to catch up
      if (counted) await settled(recorded, { done: same });
      const send = (url: string) => rawCall(url, c.method ?? "GET", c.path, c.headers, c.body);
      const [a, b] = [observed(await send(sim.url)), observed(await send(backend.apisonator.url))];
      counted = a.status === 202 || (a.status === 200 && c.path.startsWith("/transactions/authrep.xml"));
      const keys = differences(a, b);
      if (keys.length > 0) mismatches.push(`${c.name}: ${keys.map((k) => `${k} simulator ${a[k]} apisonator ${b[k]}`).join("; ")}`);
    }

    const real = await settled(recorded);
    const expected = simulated();
    counters.forEach((c, i) => {
      if (expected[i] !== real[i]) mismatches.push(`usage ${c.service}/${c.app} ${c.metric} ${c.period}: simulator ${expected[i]} apisonator ${real[i]}`);
    });
    expect(mismatches).toEqual([]);
    // the sequence did count: not two backends agreeing on nothing
    expect(real.reduce((a, b) => a! + (b ?? 0), 0)).toBeGreaterThan(40);
  }, 240_000);
});
