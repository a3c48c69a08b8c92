import { Status } from "../abi";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

export function timeImports(vm: VmInstance): ImportGroup {
  return {
    // §7: the timer of the calling context's root context, on this instance only.
    proxy_set_tick_period_milliseconds(periodMs: number) {
      const root = vm.active().root;
      vm.host.clock.setPeriodic(root, periodMs, () => vm.call("proxy_on_tick", root, root.id));
      return Status.Ok;
    },
    proxy_get_current_time_nanoseconds(retPtr: number) {
      vm.memory.writeU64(retPtr, vm.host.clock.realtimeNs());
      return Status.Ok;
    },
  };
}
