// Stream control. Everything acts on the current or effective context and, like Envoy, is
// deferred until the module's callback returns; on a root context it is accepted and does nothing.
import { Status } from "../abi";
import { StreamContext } from "../contexts";
import { decodePairs } from "../pairs";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

const HTTP_REQUEST = 0;
const HTTP_RESPONSE = 1;
const UPSTREAM = 3;

export function streamImports(vm: VmInstance): ImportGroup {
  const stream = () => {
    const context = vm.active();
    return context instanceof StreamContext ? context : undefined;
  };
  return {
    proxy_continue_stream(type: number) {
      if (type > HTTP_RESPONSE) return Status.BadArgument;
      const s = stream();
      if (s && type === HTTP_REQUEST) {
        s.requestHeadersLive = false; // immediately, not deferred
        vm.defer(() => s.decide({ outcome: "continue" }));
      }
      return Status.Ok;
    },
    proxy_close_stream(type: number) {
      if (type > UPSTREAM) return Status.BadArgument;
      const s = stream();
      if (s && type <= HTTP_RESPONSE) vm.defer(() => s.decide({ outcome: "reset" }));
      return Status.Ok;
    },
    proxy_send_local_response(
      status: number,
      detailsPtr: number,
      detailsSize: number,
      bodyPtr: number,
      bodySize: number,
      headersPtr: number,
      headersSize: number,
      grpcStatus: number,
    ) {
      const reply = {
        outcome: "local_reply" as const,
        status,
        details: vm.memory.readText(detailsPtr, detailsSize).replace(/\s/g, "_"),
        body: vm.memory.read(bodyPtr, bodySize),
        headers: decodePairs(vm.memory.read(headersPtr, headersSize)),
        grpcStatus: grpcStatus | 0,
      };
      const s = stream();
      if (s) vm.defer(() => s.decide(reply));
      return Status.Ok;
    },
    proxy_set_effective_context(contextId: number) {
      const context = vm.context(contextId);
      if (!context) return Status.BadArgument;
      vm.effective = context;
      return Status.Ok;
    },
  };
}
