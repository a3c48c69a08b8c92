// Credentials never reach the terminal unless --show-credentials: the same "ab…" (12 chars)
// rendering as the module's own logs (assembly/runtime/log.ts mask).
import type { Header } from "../host/types";
import type { ConfigView } from "./config-view";

/**
 * The module's `values` operation log line: `[3scale-auth/stack] values at <id>: "a", "b\"c"` at
 * debug level; at info and above the module masks them itself (`"ab…" (12 chars)`, left as is).
 */
const VALUES_LINE = "[3scale-auth/stack] values at ";
const QUOTED = /"((?:[^"\\]|\\.)*)"(?! \(\d+ chars\))/g;
const UNESCAPE: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

/** authrep query parameters and pass-through headers (passthrough_metadata) that carry secrets */
const AUTHREP_SECRETS = ["user_key", "app_id", "app_key", "service_token"];
const PASSTHROUGH_SECRETS = ["x-3scale-user-key", "x-3scale-app-id", "x-3scale-service-token"];

export class Masker {
  /** query parameters and headers that may hold credentials: the authrep ones and the configured keys */
  private readonly params: Set<string>;
  private readonly headers: Set<string>;

  constructor(readonly show: boolean, view: ConfigView) {
    const sources = view.services.flatMap((s) => Object.values(s.credentials).flat());
    const keys = (type: string) => sources.filter((s) => s.type === type).flatMap((s) => s.keys);
    this.params = new Set([...AUTHREP_SECRETS, ...keys("query_string")]);
    this.headers = new Set([...PASSTHROUGH_SECRETS, ...keys("header")]);
  }

  value(v: string): string {
    if (this.show) return JSON.stringify(v);
    return `"${v.length > 8 ? v.slice(0, 2) : ""}…" (${v.length} chars)`;
  }

  stack(values: string[]): string {
    return `[${values.map((v) => this.value(v)).join(", ")}]`;
  }

  /** a :path with the values of credential parameters masked */
  path(path: string): string {
    if (this.show) return path;
    return path.replace(/([?&])([^=&#]*)=([^&#]*)/g, (whole, sep: string, name: string, value: string) =>
      this.params.has(decode(name)) ? `${sep}${name}=${this.value(decode(value))}` : whole);
  }

  header([name, value]: Header): string {
    const text = String(value);
    return `${name}: ${name === ":path" ? this.path(text) : this.headers.has(name) && !this.show ? this.value(text) : text}`;
  }

  /** a module log line; only debug-level `values` lines reveal stack contents: every quoted string in them is masked */
  logLine(message: string): string {
    if (this.show || !message.startsWith(VALUES_LINE)) return message;
    return message.replace(QUOTED, (_, quoted: string) => this.value(quoted.replace(/\\(.)/g, (__, c: string) => UNESCAPE[c] ?? c)));
  }
}

/** form decoding, keeping malformed escapes as they are */
function decode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}
