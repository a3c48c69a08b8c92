// Everything but the ABI version marker.
export { malloc } from "./lib/util";

export function proxy_on_vm_start(root: u32, size: u32): bool {
  return true;
}
