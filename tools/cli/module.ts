// The real module in the in-process host: loading, and reading its configure-time verdict from
// what it logged (the host only reports Envoy's generic "Failed to configure" text).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ProxyWasmHost } from "../host";
import type { CallHandler, LogLine } from "../host/types";
import { UsageError } from "./args";

export const DEFAULT_WASM = resolve(import.meta.dirname, "../../build/authrep.wasm");

const REJECTED = "configuration rejected: ";
const WARNING = "configuration: ";

export interface Verdict {
  accepted: boolean;
  /** the module's field-path message (or the host's, if the module logged none) */
  error?: string;
  warnings: string[];
}

export async function loadModule(wasm: string, clusters: Record<string, string | CallHandler> = {}): Promise<ProxyWasmHost> {
  if (!existsSync(wasm)) throw new UsageError(`cannot read ${wasm} (run \`npm run build\`, or pass --wasm FILE)`);
  return ProxyWasmHost.create({ wasm, clusters, logLevel: "debug" });
}

export async function configure(host: ProxyWasmHost, text: string): Promise<Verdict> {
  const result = await host.configure(text);
  // the canary and every worker log the same lines: keep the canary's
  const canary = result.logs.filter((l) => l.instance === "canary");
  const messages = (prefix: string, level: LogLine["level"]) =>
    canary.filter((l) => l.level === level && l.message.startsWith(prefix)).map((l) => l.message.slice(prefix.length));
  const warnings = messages(WARNING, "warn");
  if (result.accepted) return { accepted: true, warnings };
  return { accepted: false, error: messages(REJECTED, "error")[0] ?? result.error, warnings };
}
