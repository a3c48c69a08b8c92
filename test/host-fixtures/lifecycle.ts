// Start-up order, configuration buffer, allocator choice and WASI. Configuration "reject" makes
// on_configure return false, "trap" traps in it.
import * as abi from "./lib/abi";
import { bytes, getBuffer, log, or, ptr, RET, status, text } from "./lib/util";

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

function stdout(message: string): void {
  const b = bytes(message);
  store<u32>(RET, ptr(b));
  store<u32>(RET, b.byteLength, 4);
  abi.fd_write(1, RET, 1, RET + 8);
}

// Top-level code runs in _initialize, where only logging and WASI are allowed.
log(2, "initialize");
stdout("hello from stdout\n");

/** must never be used: cpp-host prefers malloc */
export function proxy_on_memory_allocate(size: usize): usize {
  log(4, "proxy_on_memory_allocate used");
  return heap.alloc(size);
}

export function proxy_on_context_create(context: u32, parent: u32): void {
  log(2, "context_create " + context.toString() + " " + parent.toString());
}

export function proxy_on_vm_start(root: u32, size: u32): bool {
  abi.environ_sizes_get(RET, RET + 4);
  const count = load<u32>(RET);
  const env = new ArrayBuffer(load<u32>(RET + 4));
  const pointers = new ArrayBuffer(count * 4);
  abi.environ_get(ptr(pointers), ptr(env));
  log(2, "vm_start " + root.toString() + " vm_config " + or(getBuffer(6, 0, size), "-") + " env " + text(env).replaceAll("\0", ";"));
  return true;
}

export function proxy_on_configure(root: u32, size: u32): bool {
  const configuration = or(getBuffer(7, 0, size), "<" + status.toString() + ">");
  log(2, "configure " + root.toString() + " " + size.toString() + " " + configuration);
  if (configuration == "trap") unreachable();
  return configuration != "reject";
}

export function proxy_on_request_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  getBuffer(7, 0, 100);
  const random = new ArrayBuffer(16);
  abi.proxy_get_log_level(RET);
  log(2, "request " + context.toString() + " buffer 7 " + status.toString() + " log level " + load<u32>(RET).toString() +
    " random " + abi.random_get(ptr(random), 16).toString() + " big random " + abi.random_get(ptr(random), 65537).toString());
  abi.proc_exit(3);
  log(2, "still running after proc_exit");
  return 0;
}

export function proxy_on_done(context: u32): bool {
  log(2, "done " + context.toString());
  return true;
}

export function proxy_on_delete(context: u32): void {
  log(2, "delete " + context.toString());
}
