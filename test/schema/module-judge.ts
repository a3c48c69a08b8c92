// What the built module (build/authrep.wasm) says about a configuration, through the Envoy-like host.
import { ProxyWasmHost } from "../../tools/host";
import { WASM } from "../support/module";

export interface ModuleJudge {
  accepts(config: unknown): Promise<{ accepted: boolean; error: string }>;
  close(): Promise<void>;
}

export async function moduleJudge(): Promise<ModuleJudge> {
  const host = await ProxyWasmHost.create({ wasm: WASM });
  return {
    async accepts(config) {
      const r = await host.configure(typeof config === "string" ? config : JSON.stringify(config));
      const error = r.logs.filter((l) => l.level === "error").map((l) => l.message).join("\n");
      return { accepted: r.accepted, error };
    },
    close: () => host.close(),
  };
}
