// System (portal) configuration fetch through the in-process host with two workers
// (docs/design.md §6, defects D2, D5, D7, D8, D13).
import { afterEach, describe, expect, it } from "vitest";
import type { CallAnswer } from "../../tools/host/types";
import { service } from "../support/configs";
import { header } from "../support/module";
import {
  advance, document, FETCHED_RULE, FETCHED_TOKEN, ok, SPREAD_MS, TICK_MS, portal, systemConfig, TTL_SECONDS, type Portal,
} from "./support";

const ID = "2555417900001";
let p: Portal | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

const good = ok(document(FETCHED_TOKEN, [FETCHED_RULE]));

describe("system configuration fetch", () => {
  it("fetches every service right after configure, percent-encoding what it inserts", async () => {
    const odd = service({ id: "a/b c", authorities: ["odd.test"] });
    p = await portal(systemConfig({ services: [service(), { ...odd, environment: "weird" }] }));
    expect(p.fetches()).toHaveLength(0);
    await advance(p, TICK_MS);
    const paths = p.fetches().map((c) => header(c, ":path"));
    expect(paths).toEqual([
      `/base/admin/api/services/${ID}/proxy/configs/production/latest.json?x=1&access_token=pat%261`,
      "/base/admin/api/services/a%2Fb%20c/proxy/configs/unknown/latest.json?x=1&access_token=pat%261",
    ]);
    const call = p.fetches()[0]!;
    expect(header(call, ":authority")).toBe("tenant-admin.3scale.net");
    expect(header(call, ":method")).toBe("GET");
    expect(call.timeoutMs).toBe(2000);
    expect(p.host.logs.map((l) => l.message).join("\n")).not.toContain("pat&1");
  });

  it("makes one fetch for both workers; both use the fetched token and rules after the static ones", async () => {
    p = await portal(systemConfig(), [[ID, good]]);
    await advance(p, SPREAD_MS);
    expect(p.fetches()).toHaveLength(1);
    for (const worker of [0, 1]) {
      const fetched = await p.authrep("/fetched/7?user_key=k", worker);
      expect(fetched).toMatchObject({ service_token: FETCHED_TOKEN, "usage[hits]": "1", "usage[fetched]": "2" });
    }
  });

  it("does not count a fetched rule identical to a static one twice", async () => {
    const same = { http_method: "GET", pattern: "/", metric_system_name: "hits", delta: 1, last: false };
    p = await portal(systemConfig(), [[ID, ok(document(FETCHED_TOKEN, [same, FETCHED_RULE]))]]);
    await advance(p, SPREAD_MS);
    const params = await p.authrep("/fetched/1?user_key=k", 1);
    expect(params["usage[hits]"]).toBe("1");
    expect(params["usage[fetched]"]).toBe("2");
  });

  it("skips a rule with an invalid pattern and defaults a missing metric to `Hits`, with warnings", async () => {
    const bad = { http_method: "GET", pattern: "/bad/(", metric_system_name: "bad", delta: 1, last: false };
    const noMetric = { http_method: "GET", pattern: "/plain", metric_system_name: null, delta: 3, last: false };
    p = await portal(systemConfig(), [[ID, ok(document(FETCHED_TOKEN, [bad, noMetric, FETCHED_RULE]))]]);
    await advance(p, SPREAD_MS);
    expect(p.warnings()).toEqual(expect.arrayContaining([
      expect.stringMatching(/service 2555417900001: proxy_rules\[0\] \(GET \/bad\/\(\) skipped: regex error/),
      expect.stringMatching(/proxy_rules\[1\] \(GET \/plain\) has no metric_system_name: using `Hits`/),
    ]));
    expect(await p.authrep("/plain?user_key=k", 0)).toMatchObject({ "usage[Hits]": "3" });
    expect(await p.authrep("/bad/(?user_key=k", 1)).not.toHaveProperty("usage[bad]");
    expect(await p.authrep("/fetched/2?user_key=k", 1)).toMatchObject({ "usage[fetched]": "2" });
  });

  const failures: [string, CallAnswer][] = [
    ["a non-200 answer", { status: 500, body: JSON.stringify(document("other", [])) }],
    ["garbage", { status: 200, body: "{not json" }],
    ["a document without proxy rules", ok({ proxy_config: { content: { proxy: {} } } })],
    ["a body above 4 MiB", { status: 200, body: " ".repeat(4 * 1024 * 1024 + 1) }],
    ["an empty body", { status: 200, body: "" }],
    ["a reset", "reset"],
  ];
  for (const [name, answer] of failures) {
    it(`keeps the last good configuration after ${name}`, async () => {
      p = await portal(systemConfig(), [[ID, good]]);
      await advance(p, SPREAD_MS);
      p.answers.set(ID, answer);
      await advance(p, (TTL_SECONDS + 15) * 1000);
      expect(p.fetches()).toHaveLength(2);
      expect(p.warnings().some((w) => w.includes("fetch failed") && w.includes("keeping the last good configuration"))).toBe(true);
      for (const worker of [0, 1]) {
        expect(await p.authrep("/fetched/1?user_key=k", worker)).toMatchObject({ service_token: FETCHED_TOKEN, "usage[fetched]": "2" });
      }
    });
  }

  it("keeps the static configuration when the portal fails at startup", async () => {
    p = await portal(systemConfig(), [[ID, { status: 503 }]]);
    await advance(p, SPREAD_MS);
    expect(p.fetches()).toHaveLength(1);
    expect(await p.authrep("/products/1?user_key=k", 0)).toMatchObject({ service_token: "st-6e2d", "usage[products]": "1" });
  });

  it("refreshes once per ttl plus jitter across both workers, and applies the new document", async () => {
    p = await portal(systemConfig(), [[ID, good]]);
    await advance(p, SPREAD_MS);
    await advance(p, (TTL_SECONDS - 2) * 1000);
    expect(p.fetches()).toHaveLength(1);
    p.answers.set(ID, ok(document("newer-token", [])));
    await advance(p, 17_000);
    expect(p.fetches()).toHaveLength(2);
    for (const worker of [0, 1]) {
      const params = await p.authrep("/fetched/1?user_key=k", worker);
      expect(params.service_token).toBe("newer-token");
      expect(params).not.toHaveProperty("usage[fetched]");
    }
  });

  it("raises a ttl below 20 s to 20 s", async () => {
    p = await portal(systemConfig({ ttl: 1 }), [[ID, good]]);
    await advance(p, SPREAD_MS);
    await advance(p, 18_000);
    expect(p.fetches()).toHaveLength(1);
    await advance(p, 16_000);
    expect(p.fetches()).toHaveLength(2);
  });

  it("accepts any ttl without trapping", async () => {
    for (const ttl of ["0", "18446744073709551615"]) {
      p = await portal(JSON.stringify(systemConfig()).replace(`"ttl":${TTL_SECONDS}`, `"ttl":${ttl}`), [[ID, good]]);
      await advance(p, SPREAD_MS);
      await advance(p, 38_000);
      expect(p.host.instances.some((vm) => vm.failed)).toBe(false);
      expect(await p.authrep("/fetched/1?user_key=k", 1)).toMatchObject({ service_token: FETCHED_TOKEN });
      expect(p.fetches().length).toBe(ttl === "0" ? 2 : 1); // 0 → 20 s + jitter: fetched at 1 s and 21-36 s
      await p.close();
      p = undefined;
    }
  });

  it("lets another fetch take over when the lease holder never answers", async () => {
    let release: (a: CallAnswer) => void = () => {};
    p = await portal(systemConfig());
    p.answers.set(ID, () => new Promise<CallAnswer>((resolve) => { release = resolve; }));
    p.host.advance(TICK_MS);
    await new Promise(setImmediate);
    expect(p.fetches()).toHaveLength(1);
    p.answers.set(ID, good);
    p.host.advance(2000 + 5000 - 1); // the call's timeout plus the lease's grace
    expect(p.fetches()).toHaveLength(1);
    p.host.advance(1);
    expect(p.fetches()).toHaveLength(2);
    // the first holder answers late: its lease is gone, so its document is dropped
    release(ok(document("late", [])));
    await p.host.idle();
    await advance(p, TICK_MS);
    expect(p.fetches()).toHaveLength(2);
    for (const worker of [0, 1]) expect(await p.authrep("/fetched/1?user_key=k", worker)).toMatchObject({ service_token: FETCHED_TOKEN });
  });

  it("fetches again right after a re-configure, from the new static configuration", async () => {
    p = await portal(systemConfig(), [[ID, good]]);
    await advance(p, SPREAD_MS);
    p.answers.set(ID, ok(document(null, [FETCHED_RULE])));
    const accepted = await p.host.configure(JSON.stringify(systemConfig({ token: "pat-2" })));
    expect(accepted.accepted).toBe(true);
    await advance(p, SPREAD_MS);
    expect(p.fetches()).toHaveLength(2);
    expect(header(p.fetches()[1]!, ":path")).toContain("access_token=pat-2");
    for (const worker of [0, 1]) {
      expect(await p.authrep("/fetched/1?user_key=k", worker)).toMatchObject({ service_token: "st-6e2d", "usage[fetched]": "2" });
    }
  });

  it("keeps serving the fetched configuration across a re-configure until the new fetch answers", async () => {
    p = await portal(systemConfig(), [[ID, good]]);
    await advance(p, SPREAD_MS);
    const accepted = await p.host.configure(JSON.stringify(systemConfig({ token: "pat-2" })));
    expect(accepted.accepted).toBe(true);
    // before any tick of the new configuration: the document fetched for this service still applies
    for (const worker of [0, 1]) {
      expect(await p.authrep("/fetched/1?user_key=k", worker)).toMatchObject({ service_token: FETCHED_TOKEN, "usage[fetched]": "2" });
    }
    await advance(p, SPREAD_MS);
    expect(p.fetches()).toHaveLength(2);
  });
});
