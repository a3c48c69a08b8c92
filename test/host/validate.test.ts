import { describe, expect, it } from "vitest";
import { checkImports, ProxyWasmHost, validateModule, WasmLoadError } from "../../tools/host";
import { fixture } from "./support";

describe("module validation like Envoy", () => {
  it("reports every import Envoy would not link, with Envoy's messages", async () => {
    expect(checkImports(await fixture("bad-imports"))).toEqual([
      "Failed to load Wasm module due to a missing import: env.abort",
      "Failed to load Wasm module due to an import type mismatch: env.proxy_record_metric, want: i32 i32 -> i32, but host exports: i32 i64 -> i32",
      "Failed to load Wasm module due to a missing import: env.proxy_continue_request",
    ]);
  });

  it("accepts a module that only uses registered proxy-wasm and WASI imports", async () => {
    expect(checkImports(await fixture("lifecycle"))).toEqual([]);
    expect(validateModule(await fixture("lifecycle")).allocator).toBe("malloc");
  });

  it("fails the load on a missing allocator and on a 0.1.0 callback signature", async () => {
    const error = await ProxyWasmHost.create({ wasm: await fixture("bad-exports") }).catch((e) => e);
    expect(error).toBeInstanceOf(WasmLoadError);
    expect(error.errors).toEqual([
      "Wasm module is missing malloc function.",
      "Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32",
    ]);
  });

  it("requires exactly the 0.2.1 ABI marker before anything else", async () => {
    const bytes = await fixture("no-abi");
    expect(() => validateModule(bytes)).toThrow("Missing or unknown Proxy-Wasm ABI version");
  });

  it("stops at the link stage when imports fail", async () => {
    const error = await ProxyWasmHost.create({ wasm: await fixture("bad-imports") }).catch((e) => e);
    expect(error.errors).toHaveLength(3);
    expect(error.message).toContain("missing import: env.abort");
  });
});
