// No allocator, and the 0.1.0 two-parameter proxy_on_request_headers.
export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_request_headers(context: u32, headers: u32): u32 {
  return 0;
}
