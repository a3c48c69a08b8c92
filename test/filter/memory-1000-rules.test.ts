// A VM configured with 1,000 mapping rules shaped like a real product's (bench/mapping-rules.ts:
// placeholders, query parts, several methods and metrics) holds at most 8 MiB of Wasm memory,
// and requests matching those rules do not make it grow. Wasm memory never shrinks, so the
// bound is on what configuring allocates at once as much as on what the rules keep.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { demoWithRules, matchingPath, realisticMappingRules } from "../../bench/mapping-rules";
import { ProxyWasmHost } from "../../tools/host";
import type { Header } from "../../tools/host/types";
import { WASM } from "../support/module";

const RULES = 1000;
/** 8 MiB of 64 KiB pages */
const MAX_PAGES = 128;
const REQUESTS = 20_000;

function pluginConfig(): string {
  const demo = readFileSync(resolve(import.meta.dirname, "../../examples/demo/plugin-config.json"), "utf8");
  // pass-through mode: every request runs the whole pipeline, rules included, without a backend
  return JSON.stringify({ ...demoWithRules(demo, RULES), passthrough_metadata: true });
}

describe("a configuration with 1,000 realistic mapping rules", () => {
  it(`leaves the VM at most ${MAX_PAGES} pages (8 MiB) and ${REQUESTS} requests do not grow it`, async () => {
    const host = await ProxyWasmHost.create({ wasm: WASM, logLevel: "warn" });
    try {
      expect((await host.configure(pluginConfig())).accepted).toBe(true);
      const vm = host.instances[0];
      const configured = vm.memory.pages;
      expect(configured).toBeLessThanOrEqual(MAX_PAGES);
      host.advance(1100); // a tick: the module's own gauge
      expect(host.metric("authrep_wasm.memory.pages")?.value).toBe(configured);

      const rules = realisticMappingRules(RULES);
      for (let i = 0; i < REQUESTS; i++) {
        const rule = rules[(i * 7) % RULES];
        const path = matchingPath(rule, i);
        const headers: Header[] = [
          [":authority", "products.example.com"], [":method", rule.method], [":scheme", "https"],
          [":path", `${path}${path.includes("?") ? "&" : "?"}user_key=key-${i % 50}`],
        ];
        const r = await host.request({ headers });
        if (i < 10) expect(r.outcome, `${rule.method} ${path}`).toBe("continue");
      }
      expect(vm.failed).toBe(false);
      expect(vm.memory.pages).toBe(configured);
    } finally {
      await host.close();
    }
  });
});
