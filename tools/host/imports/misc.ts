// Imports Envoy registers that this host only stubs (gRPC needs a cluster manager we do not
// emulate, no foreign functions are registered), and proxy_done.
import { Status } from "../abi";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

const GRPC = ["proxy_grpc_call", "proxy_grpc_stream", "proxy_grpc_send", "proxy_grpc_cancel", "proxy_grpc_close"];

export function miscImports(vm: VmInstance): ImportGroup {
  return {
    ...Object.fromEntries(GRPC.map((name) => [name, () => Status.Unimplemented])),
    proxy_call_foreign_function: () => Status.NotFound,
    proxy_done: () => vm.done(),
    pthread_equal: (left: number, right: number) => (left === right ? 1 : 0),
    emscripten_notify_memory_growth: () => {},
  };
}
