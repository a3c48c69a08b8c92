// Shared data and shared queues. Every root context registers queue "jobs"; requests act on
// shared data / the queue according to x-test (get, set, enqueue, dequeue-unknown).
import * as abi from "./lib/abi";
import { addHeader, bytes, getHeader, hex, log, or, parseU32, ptr, RET, returned, text } from "./lib/util";

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

export function proxy_on_vm_start(root: u32, size: u32): bool {
  const name = bytes("jobs");
  abi.proxy_register_shared_queue(ptr(name), name.byteLength, RET + 8);
  log(2, "registered jobs as " + load<u32>(RET + 8).toString());
  return true;
}

export function proxy_on_request_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  const test = or(getHeader(0, "x-test"), "");
  const key = bytes(or(getHeader(0, "x-key"), ""));
  const value = bytes(or(getHeader(0, "x-value"), ""));
  if (test == "get") {
    const result = abi.proxy_get_shared_data(ptr(key), key.byteLength, RET, RET + 4, RET + 8);
    addHeader(0, "x-status", result.toString());
    if (result == 0) {
      addHeader(0, "x-got", text(returned()));
      addHeader(0, "x-cas", load<u32>(RET + 8).toString());
    }
  } else if (test == "set") {
    const cas = parseU32(getHeader(0, "x-cas"));
    addHeader(0, "x-status", abi.proxy_set_shared_data(ptr(key), key.byteLength, ptr(value), value.byteLength, cas).toString());
  } else if (test == "enqueue") {
    const vmId = bytes("");
    const name = bytes(or(getHeader(0, "x-queue"), "jobs"));
    const resolved = abi.proxy_resolve_shared_queue(ptr(vmId), 0, ptr(name), name.byteLength, RET + 8);
    addHeader(0, "x-resolve-status", resolved.toString());
    if (resolved == 0) {
      addHeader(0, "x-status", abi.proxy_enqueue_shared_queue(load<u32>(RET + 8), ptr(value), value.byteLength).toString());
    }
  } else if (test == "dequeue-unknown") {
    addHeader(0, "x-status", abi.proxy_dequeue_shared_queue(9999, RET, RET + 4).toString());
  }
  return 0;
}

export function proxy_on_queue_ready(root: u32, queue: u32): void {
  for (;;) {
    const result = abi.proxy_dequeue_shared_queue(queue, RET, RET + 4);
    if (result != 0) {
      log(2, "queue " + queue.toString() + " on root " + root.toString() + " drained: " + result.toString());
      return;
    }
    log(2, "dequeued " + text(returned()) + " (" + hex(returned()) + ")");
  }
}
