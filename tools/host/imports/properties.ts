import { Status } from "../abi";
import { StreamContext } from "../contexts";
import { readProperty } from "../properties";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

export function propertyImports(vm: VmInstance): ImportGroup {
  return {
    proxy_get_property(pathPtr: number, pathSize: number, ptrPtr: number, sizePtr: number) {
      const value = readProperty(vm.active(), vm.memory.readText(pathPtr, pathSize).split("\0"));
      return value ? vm.memory.give(value, ptrPtr, sizePtr) : Status.NotFound;
    },
    // Envoy stores these as filter state of the stream; a root context has no stream.
    proxy_set_property(pathPtr: number, pathSize: number, valuePtr: number, valueSize: number) {
      const context = vm.active();
      if (!(context instanceof StreamContext)) return Status.NotFound;
      context.filterState.set(vm.memory.readText(pathPtr, pathSize), vm.memory.read(valuePtr, valueSize));
      return Status.Ok;
    },
  };
}
