// Buffers are read-only here: configuration and http-call bodies are const in Envoy too, and the
// host does not emulate request/response bodies.
import { Status } from "../abi";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

const MAX_BUFFER_TYPE = 8;

export function bufferImports(vm: VmInstance): ImportGroup {
  const find = (type: number) => (type > MAX_BUFFER_TYPE ? undefined : vm.active().buffer(type));
  return {
    proxy_get_buffer_bytes(type: number, start: number, maxSize: number, ptrPtr: number, sizePtr: number) {
      if (type > MAX_BUFFER_TYPE || start + maxSize > 0xffffffff) return Status.BadArgument;
      const buffer = find(type);
      if (!buffer) return Status.NotFound;
      return vm.memory.give(buffer.subarray(Math.min(start, buffer.length), start + maxSize), ptrPtr, sizePtr);
    },
    proxy_get_buffer_status(type: number, sizePtr: number, flagsPtr: number) {
      if (type > MAX_BUFFER_TYPE) return Status.BadArgument;
      const buffer = find(type);
      if (!buffer) return Status.NotFound;
      vm.memory.writeU32(sizePtr, buffer.length);
      vm.memory.writeU32(flagsPtr, 0);
      return Status.Ok;
    },
    proxy_set_buffer_bytes(type: number) {
      if (type > MAX_BUFFER_TYPE) return Status.BadArgument;
      return find(type) ? Status.BadArgument : Status.NotFound;
    },
  };
}
