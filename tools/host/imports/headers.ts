// Header-map imports. A map the context does not have right now (request headers after
// continue, call-response headers outside on_http_call_response) is BAD_ARGUMENT, as in Envoy.
import { Status } from "../abi";
import type { HeaderMap } from "../headers";
import { decodePairs, encodePairs } from "../pairs";
import type { VmInstance } from "../vm";
import type { ImportGroup } from "./index";

export function headerImports(vm: VmInstance): ImportGroup {
  const withMap = (type: number, use: (map: HeaderMap) => Status): Status => {
    const map = vm.active().headerMap(type);
    return map ? use(map) : Status.BadArgument;
  };
  return {
    proxy_get_header_map_pairs: (type: number, ptrPtr: number, sizePtr: number) =>
      withMap(type, (map) => vm.memory.give(map.size ? encodePairs(map.pairs()) : new Uint8Array(), ptrPtr, sizePtr)),
    proxy_set_header_map_pairs: (type: number, ptr: number, size: number) =>
      withMap(type, (map) => (map.reset(decodePairs(vm.memory.read(ptr, size))), Status.Ok)),
    proxy_get_header_map_size: (type: number, retPtr: number) =>
      withMap(type, (map) => (vm.memory.writeU32(retPtr, map.byteSize()), Status.Ok)),
    proxy_get_header_map_value: (type: number, keyPtr: number, keySize: number, ptrPtr: number, sizePtr: number) =>
      withMap(type, (map) => {
        const value = map.get(vm.memory.read(keyPtr, keySize));
        return value ? vm.memory.give(value, ptrPtr, sizePtr) : Status.NotFound;
      }),
    proxy_add_header_map_value: (type: number, keyPtr: number, keySize: number, valuePtr: number, valueSize: number) =>
      withMap(type, (map) => (map.add(vm.memory.read(keyPtr, keySize), vm.memory.read(valuePtr, valueSize)), Status.Ok)),
    proxy_replace_header_map_value: (type: number, keyPtr: number, keySize: number, valuePtr: number, valueSize: number) =>
      withMap(type, (map) => (map.replace(vm.memory.read(keyPtr, keySize), vm.memory.read(valuePtr, valueSize)), Status.Ok)),
    proxy_remove_header_map_value: (type: number, keyPtr: number, keySize: number) =>
      withMap(type, (map) => (map.remove(vm.memory.read(keyPtr, keySize)), Status.Ok)),
  };
}
