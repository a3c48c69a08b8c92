// Properties. on_configure logs what a root context can read; on_request_headers reads every
// path listed in x-paths (comma-separated, "." between segments) and reports "path=hex" or
// "path!status" in x-props. x-set-property=<value> stores wasm filter state under "my_key".
import * as abi from "./lib/abi";
import { addHeader, bytes, getHeader, getProperty, hex, log, or, ptr, status } from "./lib/util";

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

function describe(path: string): string {
  const value = getProperty(path);
  return value === null ? path + "!" + status.toString() : path + "=" + hex(value);
}

export function proxy_on_configure(root: u32, size: u32): bool {
  log(2, "root " + describe("plugin_name") + " " + describe("plugin_root_id") + " " + describe("plugin_vm_id") + " " +
    describe("request.path") + " " + describe("metadata") + " " + describe("source.address"));
  return true;
}

export function proxy_on_request_headers(context: u32, headers: u32, endOfStream: u32): u32 {
  const set = getHeader(0, "x-set-property");
  if (set !== null) {
    const key = bytes("my_key");
    const value = bytes(set);
    abi.proxy_set_property(ptr(key), key.byteLength, ptr(value), value.byteLength);
  }
  const paths = or(getHeader(0, "x-paths"), "").split(",");
  const out: string[] = [];
  for (let i = 0; i < paths.length; i++) out.push(describe(paths[i]));
  addHeader(0, "x-props", out.join(","));
  return 0;
}
