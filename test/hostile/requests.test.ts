// Every example configuration (the pluginConfig of examples/*/wasmplugin.yaml, the same as its
// envoy.yaml's) against every hostile request in the in-process host: each request at the largest
// size Envoy accepts by default (60 KiB of headers; 1 MiB in the full run) is answered without a
// trap, the VM's memory stays under the bound of test/support/hostile-bound.ts, and doubling the
// input at most ×2.5 the time (linear, not quadratic, work).
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import { readManifests, schemeExamples, wasmPlugin } from "../support/examples";
import { BACKEND_CLUSTER } from "../support/configs";
import { WASM } from "../support/module";
import {
  DEFAULT_HEADERS_BYTES, FULL, HEADER_MARGIN_BYTES, MAX_TIME_RATIO, pagesBound, RAISED_HEADERS_BYTES, TIMING_SIZES, timeRatio,
} from "../support/hostile-bound";
import { headerList, HOSTILE_CASES, inputBytes, type HostileCase } from "../support/hostile-inputs";

const SIZES = [DEFAULT_HEADERS_BYTES, ...(FULL ? [RAISED_HEADERS_BYTES] : [])].map((limit) => limit - HEADER_MARGIN_BYTES);
/** enough requests for several collection cycles: memory must not grow with their number */
const REQUESTS_PER_SIZE = 20;

async function configured(example: string) {
  const host = await ProxyWasmHost.create({ wasm: WASM, clusters: { [BACKEND_CLUSTER]: () => ({ status: 200 }) }, hangTimeoutMs: 30_000 });
  const result = await host.configure(JSON.stringify(wasmPlugin(readManifests(example)).spec.pluginConfig));
  if (!result.accepted) throw new Error(`${example}: configuration rejected: ${result.error}`);
  const vm = host.instances[0]!;
  const send = (c: HostileCase, n: number) => {
    const r = c.build(n);
    return host.request({ headers: headerList(r), ...(r.metadata && { metadata: r.metadata }) });
  };
  return { host, vm, pagesAfterConfigure: vm.memory.pages, send };
}

describe.each(schemeExamples)("examples/%s under hostile requests", (example) => {
  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))("%s: answered, memory bounded", { timeout: 120_000 }, async (_, c) => {
    const { host, vm, pagesAfterConfigure, send } = await configured(example);
    try {
      let largest = 0;
      for (const n of SIZES) {
        largest = Math.max(largest, inputBytes(c.build(n)));
        for (let i = 0; i < REQUESTS_PER_SIZE; i++) {
          const r = await send(c, n);
          expect(vm.error?.message).toBeUndefined();
          expect(r.outcome).toMatch(/^(local_reply|continue)$/);
          expect([200, 403]).toContain(r.status);
        }
      }
      expect(vm.memory.pages, `pages after configure ${pagesAfterConfigure}, largest input ${largest} bytes`)
        .toBeLessThanOrEqual(pagesBound(pagesAfterConfigure, largest));
    } finally {
      await host.close();
    }
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))(`%s: time(2n)/time(n) ≤ ${MAX_TIME_RATIO}`, { timeout: 120_000 }, async (_, c) => {
    const { host, vm, send } = await configured(example);
    try {
      for (const n of TIMING_SIZES) {
        const t = await timeRatio(n, async (size) => {
          const start = performance.now();
          await send(c, size);
          return performance.now() - start;
        });
        expect(vm.error?.message).toBeUndefined();
        expect(t.ratio, `n = ${n}: ${t.small.toFixed(2)} ms, 2n: ${t.large.toFixed(2)} ms`).toBeLessThanOrEqual(MAX_TIME_RATIO);
      }
    } finally {
      await host.close();
    }
  });
});
