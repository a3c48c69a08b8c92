// A portal (system) document of thousands of proxy rules — at the module's 4 MiB cap in the full
// run — in the in-process host with two workers: applied without a trap (its last rule is used),
// memory under the bound for the document's size, and twice the document at most ×2.5 the time.
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { advance, document, FETCHED_TOKEN, ok, portal, SPREAD_MS, systemConfig, type Portal, type Rule } from "../system/support";
import { BYTES_PER_DOCUMENT_BYTE, MAX_TIME_RATIO, PORTAL_BYTES, pagesBound, timeRatio } from "../support/hostile-bound";

const ID = "2555417900001";
const LAST_METRIC = "last_rule";

/** a document of at most `bytes` bytes (and close to it): rules /r<i>/{id} counting hits, the last one `last_rule` */
function documentOf(bytes: number): string {
  const rule = (i: number, metric = "hits"): Rule => ({ http_method: "GET", pattern: `/r${i}/{id}`, metric_system_name: metric, delta: 1, last: false });
  const build = (count: number) =>
    JSON.stringify(document(FETCHED_TOKEN, Array.from({ length: count }, (_, i) => rule(i, i === count - 1 ? LAST_METRIC : "hits"))));
  const perRule = (build(1001).length - build(1).length) / 1000;
  let count = Math.floor(bytes / perRule);
  for (let text = build(count); ; text = build(count)) {
    if (text.length <= bytes) return text;
    count -= Math.ceil((text.length - bytes) / perRule);
  }
}

/** the document served and applied by both workers; resolves with the host and the time it took */
async function applied(text: string): Promise<{ p: Portal; ms: number }> {
  const p = await portal(systemConfig(), [[ID, ok(JSON.parse(text))]]);
  const start = performance.now();
  await advance(p, SPREAD_MS);
  return { p, ms: performance.now() - start };
}

let open: Portal | undefined;
afterEach(async () => { await open?.close(); open = undefined; });

describe(`a portal document of ${Math.round(PORTAL_BYTES / 1024)} KiB`, () => {
  it("is applied by both workers without a trap, in bounded memory", { timeout: 120_000 }, async () => {
    const text = documentOf(PORTAL_BYTES);
    const probe = await portal(systemConfig());
    const pagesAfterConfigure = probe.host.instances.map((vm) => vm.memory.pages);
    await probe.close();
    const { p } = await applied(text);
    open = p;
    expect(p.host.instances.map((vm) => vm.error?.message)).toEqual([undefined, undefined]);
    const count = (JSON.parse(text).proxy_config.content.proxy.proxy_rules as unknown[]).length;
    for (const worker of [0, 1]) {
      expect(await p.authrep(`/r${count - 1}/7?user_key=k`, worker)).toMatchObject({ service_token: FETCHED_TOKEN, [`usage[${LAST_METRIC}]`]: "1" });
    }
    p.host.instances.forEach((vm, i) => {
      expect(vm.memory.pages, `worker ${i}: pages after configure ${pagesAfterConfigure[i]}, document ${text.length} bytes`)
        .toBeLessThanOrEqual(pagesBound(pagesAfterConfigure[i]!, text.length, BYTES_PER_DOCUMENT_BYTE));
    });
  });

  it(`takes at most ×${MAX_TIME_RATIO} the time when twice the size`, { timeout: 120_000 }, async () => {
    const texts = new Map([PORTAL_BYTES / 2, PORTAL_BYTES].map((n) => [n, documentOf(n)]));
    const t = await timeRatio(PORTAL_BYTES / 2, async (n) => {
      const { p, ms } = await applied(texts.get(n)!);
      await p.close();
      return ms;
    }, 3);
    expect(t.ratio, `${t.small.toFixed(0)} ms, then ${t.large.toFixed(0)} ms`).toBeLessThanOrEqual(MAX_TIME_RATIO);
  });
});
