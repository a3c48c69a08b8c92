import { Status } from "../abi";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

export function loggingImports(vm: VmInstance): ImportGroup {
  return {
    proxy_log(level: number, ptr: number, size: number) {
      if (level > 5) return Status.BadArgument;
      vm.host.log(vm, level, vm.memory.readText(ptr, size));
      return Status.Ok;
    },
    proxy_get_log_level(retPtr: number) {
      vm.memory.writeU32(retPtr, vm.host.logLevel);
      return Status.Ok;
    },
  };
}
