// What Envoy checks before it runs a module: imports, exports, ABI version, size.
import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkImports } from "../../tools/host";
import { WASM } from "../support/module";

describe("build/authrep.wasm", () => {
  const bytes = readFileSync(WASM);
  const module = new WebAssembly.Module(bytes);

  it("imports only proxy-wasm 0.2.1 functions Envoy registers (no env.abort, env.seed, env.trace)", () => {
    expect(checkImports(bytes)).toEqual([]);
    const names = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
    for (const n of names) expect(n).toMatch(/^env\.proxy_/);
    expect(names).not.toContain("env.abort");
  });

  it("exports the ABI marker, memory, the allocator and the callbacks it implements", () => {
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining([
      "proxy_abi_version_0_2_1", "memory", "proxy_on_memory_allocate", "_initialize",
      "proxy_on_context_create", "proxy_on_vm_start", "proxy_on_configure",
      "proxy_on_request_headers", "proxy_on_response_headers", "proxy_on_http_call_response", "proxy_on_done", "proxy_on_delete",
    ]));
    expect(exports.filter((e) => e.startsWith("proxy_abi_version_"))).toHaveLength(1);
  });

  it("is at most 150 KiB", () => {
    expect(statSync(WASM).size).toBeLessThanOrEqual(150 * 1024);
  });
});
