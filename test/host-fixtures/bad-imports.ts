// Imports Envoy does not provide to a 0.2.1 module: AssemblyScript's env.abort, a 0.1.0-only
// function, and a known function declared with the wrong type.

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

@external("env", "abort")
declare function abort(message: usize, file: usize, line: u32, column: u32): void;
@external("env", "proxy_continue_request")
declare function proxy_continue_request(): u32;
@external("env", "proxy_record_metric")
declare function proxy_record_metric(id: u32, value: u32): u32;

export function proxy_on_request_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  if (headers > 100) abort(0, 0, 0, 0);
  proxy_record_metric(1, 1);
  return proxy_continue_request();
}
