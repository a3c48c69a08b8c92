// asc routes runtime failures (assert, bounds check, throw) here instead of importing
// `env.abort`, so the harness imports only WASI. Reaching this is a bug: report it, then trap.
import { STDERR, writeAll } from "./wasi";

export function abortHandler(message: string | null, fileName: string | null, line: u32, column: u32): void {
  writeAll(STDERR, "authrep-harness abort: " + (message ? message : "") + " at " + (fileName ? fileName : "?") + ":" + line.toString() + ":" + column.toString() + "\n");
  unreachable();
}
