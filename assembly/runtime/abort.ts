// asc routes every runtime failure (assert, bounds check, throw) here instead of importing
// `env.abort`, which Envoy does not provide. Reaching this is a bug: log it, then trap.
@external("env", "proxy_log")
declare function proxy_log(level: i32, ptr: usize, size: usize): i32;

export function abortHandler(message: string | null, fileName: string | null, line: u32, column: u32): void {
  const text = "authrep-wasm abort: " + (message ? message : "") + " at " + (fileName ? fileName : "?") + ":" + line.toString() + ":" + column.toString();
  const bytes = String.UTF8.encode(text);
  proxy_log(5, changetype<usize>(bytes), bytes.byteLength);
  unreachable();
}
