import { describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import { fixture, GET } from "./support";

const messages = (lines: { instance: string; message: string }[], instance: string) =>
  lines.filter((l) => l.instance === instance).map((l) => l.message);

async function lifecycleHost(options: Partial<Parameters<typeof ProxyWasmHost.create>[0]> = {}) {
  return ProxyWasmHost.create({ wasm: await fixture("lifecycle"), ...options });
}

describe("start-up like Envoy", () => {
  it("runs a canary, then each worker: _initialize, root context, on_vm_start, on_configure", async () => {
    const host = await lifecycleHost({ concurrency: 2, vmConfig: "vm-cfg", env: { FOO: "bar", ISTIO_META_X: "1" } });
    const result = await host.configure("hello");
    expect(result.accepted).toBe(true);
    const startup = [
      "initialize",
      "hello from stdout",
      "context_create 1 0",
      "vm_start 1 vm_config vm-cfg env FOO=bar;ISTIO_META_X=1;",
      "configure 1 5 hello",
    ];
    for (const instance of ["canary", "worker 0", "worker 1"]) expect(messages(result.logs, instance)).toEqual(startup);
    expect(host.instances.map((i) => i.label)).toEqual(["worker 0", "worker 1"]);
  });

  it("allocates through malloc even when proxy_on_memory_allocate is exported", async () => {
    const host = await lifecycleHost();
    await host.configure("x".repeat(1000));
    expect(host.logs.map((l) => l.message)).not.toContain("proxy_on_memory_allocate used");
  });

  it("hands out the plugin configuration only during on_configure; WASI behaves like Envoy", async () => {
    const host = await lifecycleHost({ logLevel: "info" });
    await host.configure("hello");
    const r = await host.request({ headers: GET("/") });
    expect(r.outcome).toBe("continue");
    expect(r.logs.map((l) => [l.level, l.message])).toEqual([
      ["info", "context_create 2 1"],
      ["info", "request 2 buffer 7 1 log level 2 random 0 big random 28"], // NOT_FOUND; INVAL above 64 KiB
      ["error", "wasi proc_exit(3) called; Envoy ignores it"],
      ["info", "still running after proc_exit"],
      ["info", "done 2"],
      ["info", "delete 2"],
    ]);
  });

  it("drops log lines below the configured level", async () => {
    const host = await lifecycleHost({ logLevel: "error" });
    await host.configure("hello");
    expect(host.logs).toEqual([]);
  });

  it("rejects a configuration on_configure refuses, or traps in, and keeps the previous one", async () => {
    const host = await lifecycleHost({ concurrency: 2 });
    expect((await host.configure("first")).accepted).toBe(true);
    expect(await host.configure("reject")).toMatchObject({ accepted: false, error: "Failed to configure base Wasm plugin" });
    const trapped = await host.configure("trap");
    expect(trapped.error).toBe("Failed to configure base Wasm plugin: Function: proxy_on_configure failed: unreachable");
    expect(trapped.logs.at(-1)).toEqual({
      instance: "canary",
      level: "critical",
      message: "Function: proxy_on_configure failed: unreachable",
    });
    expect(host.instances.map((i) => i.failed)).toEqual([false, false]);
    const update = await host.configure("second");
    expect(messages(update.logs, "worker 1")).toEqual(["configure 1 6 second"]); // no restart, same root context
  });

  it("refuses requests until a configuration was accepted", async () => {
    const host = await lifecycleHost();
    expect((await host.configure("reject")).accepted).toBe(false);
    await expect(host.request({ headers: GET("/") })).rejects.toThrow("configure() first");
  });

  it("traps on imports Envoy restricts during _initialize", async () => {
    const host = await ProxyWasmHost.create({ wasm: await fixture("restricted-init") });
    expect(await host.configure("")).toMatchObject({
      accepted: false,
      error: "Failed to initialize Wasm code: Function: _initialize failed: restricted_callback",
    });
  });

  it("traps on imports Envoy restricts inside the allocator; the caller sees the allocation fail", async () => {
    const host = await ProxyWasmHost.create({ wasm: await fixture("restricted-malloc") });
    const result = await host.configure("some configuration");
    expect(result.error).toBe("Failed to configure base Wasm plugin: Function: malloc failed: restricted_callback");
    expect(result.logs.map((l) => l.message)).toContain("configuration unreadable");
  });

  it("returns empty values as (0, 0) without calling the allocator", async () => {
    const host = await ProxyWasmHost.create({ wasm: await fixture("restricted-malloc") });
    const result = await host.configure("");
    expect(result.accepted).toBe(true);
    expect(result.logs.map((l) => l.message)).toContain("configuration read");
  });
});
