// proxy_http_call (§3.4, §12): validated synchronously, owned by the root context of the
// current/effective context, answered later from the event loop.
import { Status } from "../abi";
import { toValue } from "../bytes";
import { HeaderMap } from "../headers";
import { decodePairs } from "../pairs";
import type { HttpCallRecord } from "../types";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

export function httpImports(vm: VmInstance): ImportGroup {
  const map = (ptr: number, size: number) => new HeaderMap(decodePairs(vm.memory.read(ptr, size)));
  return {
    proxy_http_call(
      clusterPtr: number,
      clusterSize: number,
      headersPtr: number,
      headersSize: number,
      bodyPtr: number,
      bodySize: number,
      trailersPtr: number,
      trailersSize: number,
      timeoutMs: number,
      callIdPtr: number,
    ) {
      const cluster = vm.memory.readText(clusterPtr, clusterSize);
      const headers = map(headersPtr, headersSize);
      const body = vm.memory.read(bodyPtr, bodySize);
      const trailers = map(trailersPtr, trailersSize);
      if (!vm.host.hasCluster(cluster)) return Status.BadArgument;
      // Envoy checks Path(), Method() and Host(); Host() is the :authority header.
      if (!headers.get(":path") || !headers.get(":method") || !headers.get(":authority")) return Status.BadArgument;
      const root = vm.active().root;
      const call: HttpCallRecord = {
        instance: vm.label,
        rootContextId: root.id,
        callId: root.nextCallId(),
        cluster,
        headers: headers.toHeaders(),
        body: toValue(body),
        trailers: trailers.toHeaders(),
        timeoutMs,
        state: "pending",
      };
      vm.memory.writeU32(callIdPtr, call.callId);
      root.pendingCalls.set(call.callId, call);
      vm.host.dispatch(vm, call);
      return Status.Ok;
    },
    proxy_get_status(codePtr: number, messagePtrPtr: number, messageSizePtr: number) {
      const context = vm.active();
      vm.memory.writeU32(codePtr, context.statusCode);
      return vm.memory.give(new TextEncoder().encode(context.statusMessage), messagePtrPtr, messageSizePtr);
    },
  };
}
