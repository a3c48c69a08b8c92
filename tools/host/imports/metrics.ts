import { Status } from "../abi";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

export function metricImports(vm: VmInstance): ImportGroup {
  return {
    proxy_define_metric(type: number, namePtr: number, nameSize: number, idPtr: number) {
      const id = vm.metrics.define(type, vm.memory.readText(namePtr, nameSize));
      if (id === undefined) return Status.BadArgument;
      vm.memory.writeU32(idPtr, id);
      return Status.Ok;
    },
    proxy_increment_metric: (id: number, delta: bigint) => vm.metrics.increment(id, delta),
    proxy_record_metric: (id: number, value: bigint) => vm.metrics.record(id, value),
    proxy_get_metric(id: number, retPtr: number) {
      const value = vm.metrics.get(id);
      if (typeof value !== "bigint") return value;
      vm.memory.writeU64(retPtr, value);
      return Status.Ok;
    },
  };
}
