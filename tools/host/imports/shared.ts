import { Status } from "../abi";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

export function sharedImports(vm: VmInstance): ImportGroup {
  const { data, queues } = vm.host.shared;
  const read = (ptr: number, size: number) => vm.memory.read(ptr, size);
  return {
    proxy_get_shared_data(keyPtr: number, keySize: number, ptrPtr: number, sizePtr: number, casPtr: number) {
      const entry = data.moduleGet(vm.label, vm.host.vmId, read(keyPtr, keySize));
      if (!entry) return Status.NotFound;
      const status = vm.memory.give(entry.value, ptrPtr, sizePtr);
      if (status === Status.Ok) vm.memory.writeU32(casPtr, entry.cas);
      return status;
    },
    proxy_set_shared_data: (keyPtr: number, keySize: number, valuePtr: number, valueSize: number, cas: number) =>
      data.moduleSet(vm.label, vm.host.vmId, read(keyPtr, keySize), read(valuePtr, valueSize), cas),
    proxy_register_shared_queue(namePtr: number, nameSize: number, idPtr: number) {
      const root = vm.active().root;
      const notify = (id: number) => vm.host.defer(() => vm.call("proxy_on_queue_ready", root, root.id, id));
      vm.memory.writeU32(idPtr, queues.register(vm.host.vmId, read(namePtr, nameSize), notify));
      return Status.Ok;
    },
    proxy_resolve_shared_queue(vmIdPtr: number, vmIdSize: number, namePtr: number, nameSize: number, idPtr: number) {
      const id = queues.resolve(read(vmIdPtr, vmIdSize), read(namePtr, nameSize));
      if (id === undefined) return Status.NotFound;
      vm.memory.writeU32(idPtr, id);
      return Status.Ok;
    },
    proxy_enqueue_shared_queue: (id: number, valuePtr: number, valueSize: number) =>
      queues.enqueue(id, read(valuePtr, valueSize)),
    proxy_dequeue_shared_queue(id: number, ptrPtr: number, sizePtr: number) {
      const item = queues.dequeue(id);
      return typeof item === "number" ? item : vm.memory.give(item, ptrPtr, sizePtr);
    },
  };
}
