// Large portal documents on two workers: the one that fetches parses, reduces, shares and
// applies the document in one callback, the other applies the shared copy on its next tick.
// Serialising the reduced document by string concatenation made a 3,000-rule document take a
// worker past 3 GiB (a trap in Envoy); parsing and merging are linear now. Each worker must stay
// within
//
//   memory after ≤ memory before + 256 × the document's bytes
//
// Parsed, reduced, compiled and indexed (the parsed tree, the mapping rule, its regular
// expression program), a document takes 76 to 136 times its size in pages here (3,000 and
// 21,800 rules; before: 5,700 times at 3,000), and the allocator grows memory by doubling, so
// the pages seen can be twice what is used.
import { afterEach, describe, expect, it } from "vitest";
import { advance, document, ok, portal, SPREAD_MS, systemConfig, type Portal, type Rule } from "./support";

const ID = "2555417900001";
const BYTES_PER_DOCUMENT_BYTE = 256;
/** MAX_DOCUMENT_BYTES of assembly/system/answer.ts: larger answers are refused unread */
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

let p: Portal | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

const rules = (count: number): Rule[] =>
  Array.from({ length: count }, (_, i) => ({ http_method: "GET", pattern: `/r${i}/{id}/x`, metric_system_name: `m${i}`, delta: 1, last: false }));

async function applyDocument(count: number): Promise<number> {
  const body = JSON.stringify(document("fetched-token", rules(count)));
  p = await portal(systemConfig(), [[ID, ok(JSON.parse(body))]]);
  const before = p.host.instances.map((vm) => vm.memory.pages);
  await advance(p, SPREAD_MS);
  expect(p.fetches()).toHaveLength(1);
  for (const [worker, vm] of p.host.instances.entries()) {
    expect(vm.failed, vm.error?.message).toBe(false);
    const grown = (vm.memory.pages - before[worker]) * 64 * 1024;
    expect(grown, `worker ${worker} grew ${grown} bytes for a ${body.length}-byte document`).toBeLessThanOrEqual(BYTES_PER_DOCUMENT_BYTE * body.length);
    // the first, a middle and the last rule apply on both workers
    for (const i of [0, count >> 1, count - 1]) {
      const params = await p.authrep(`/r${i}/7/x?user_key=k`, worker);
      expect(params).toMatchObject({ service_token: "fetched-token", [`usage[m${i}]`]: "1" });
    }
  }
  return body.length;
}

describe("large portal documents", () => {
  it("applies 3,000 rules on both workers", async () => {
    expect(await applyDocument(3000)).toBeGreaterThan(250_000);
  });

  it("applies a document just under the size cap on both workers", async () => {
    const size = await applyDocument(21_800);
    expect(size).toBeGreaterThan(MAX_DOCUMENT_BYTES - 64 * 1024);
    expect(size).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
  }, 120_000);
});
