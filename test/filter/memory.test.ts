// The memory bound of docs/design.md §9: garbage is collected once a quarter of the
// linear memory was allocated since the last collection, so after any callback the memory is
// at most 8/3 × (S + L + A), where S is the static data and runtime, L the live state (mostly
// the parsed configuration) and A the most one callback allocates; the number of requests does
// not enter. L and A are bounded here by the per-byte costs stated there, measured on
// configurations like these (one mapping rule of ~88 bytes per `/resource{n}/{id}/items`).
import { describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import type { Header } from "../../tools/host/types";
import { WASM } from "../support/module";

const PAGE = 65536;
const STATIC_BYTES = 128 * 1024;
/** live configuration per configuration byte (measured: about 20) */
const LIVE_PER_CONFIG_BYTE = 24;
/** allocated by on_configure per configuration byte (measured: about 100) */
const CONFIGURE_PER_CONFIG_BYTE = 110;
/** allocated by on_request_headers per header byte, plus a constant (measured: 2.1, 4,000 B) */
const REQUEST_PER_HEADER_BYTE = 2.5;
const REQUEST_CONSTANT = 8192;

function boundPages(configBytes: number, headerBytes: number): number {
  const live = STATIC_BYTES + LIVE_PER_CONFIG_BYTE * configBytes;
  const largest = Math.max(CONFIGURE_PER_CONFIG_BYTE * configBytes, REQUEST_PER_HEADER_BYTE * headerBytes + REQUEST_CONSTANT);
  return Math.ceil((8 / 3) * (live + largest) / PAGE);
}

function pluginConfig(rules: number): string {
  return JSON.stringify({
    api: "v1",
    backend: { upstream: { name: "backend", url: "https://su1.3scale.net/" } },
    passthrough_metadata: true,
    services: [{
      id: "1", token: "t", authorities: ["api.example.com"],
      credentials: { user_key: [{ query_string: { keys: ["user_key"] } }] },
      mapping_rules: Array.from({ length: rules }, (_, i) => ({ method: "GET", pattern: `/resource${i}/{id}/items`, usages: [{ name: `m${i % 7}`, delta: 1 }] })),
    }],
  });
}

const request = (rules: number, i: number, headerBytes: number): Header[] => [
  [":authority", "api.example.com"], [":path", `/resource${rules - 1}/${i}/items?user_key=k${i}`], [":method", "GET"], [":scheme", "https"],
  ["x-large", "x".repeat(headerBytes)],
];

describe("Wasm memory stays under the stated bound and does not grow with the number of requests", () => {
  it.each([
    [10, 50 * 1024],
    [1000, 50 * 1024],
    [10, 400 * 1024],
  ])("%d mapping rules, requests with a %d-byte header", async (rules, headerBytes) => {
    const host = await ProxyWasmHost.create({ wasm: WASM, logLevel: "warn" });
    try {
      const config = pluginConfig(rules);
      expect((await host.configure(config)).accepted).toBe(true);
      const vm = host.instances[0];
      const bound = boundPages(config.length, headerBytes);
      expect(vm.memory.pages).toBeLessThanOrEqual(bound);
      const pages: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const r = await host.request({ headers: request(rules, i, headerBytes) });
        if (i === 0) expect(r.outcome).toBe("continue");
        if (i === 99 || i === 999) pages.push(vm.memory.pages);
      }
      expect(vm.failed).toBe(false);
      expect(pages[1]).toBe(pages[0]);
      expect(pages[1]).toBeLessThanOrEqual(bound);
    } finally {
      await host.close();
    }
  });
});
