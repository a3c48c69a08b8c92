// Builds the import object of one instance from the per-area implementations, keyed by the
// ABI table (so every name Envoy registers exists, and nothing else), and wraps each function
// with the §2.4 phase check and Envoy's out-of-bounds rule (INVALID_MEMORY_ACCESS / EFAULT).
import { HOST_IMPORT_TYPES, Status } from "../abi";
import { MemoryAccessError } from "../memory";
import type { VmInstance } from "../vm";
import { bufferImports } from "./buffers";
import { headerImports } from "./headers";
import { httpImports } from "./http";
import { loggingImports } from "./logging";
import { metricImports } from "./metrics";
import { miscImports } from "./misc";
import { propertyImports } from "./properties";
import { sharedImports } from "./shared";
import { streamImports } from "./streams";
import { timeImports } from "./time";
import { wasiImports, WASI_EFAULT } from "./wasi";

/** an import implementation; i32 arguments arrive as unsigned numbers, i64 as bigint */
export type ImportFn = (...args: any[]) => number | void;
export type ImportGroup = Record<string, ImportFn>;

export function buildImports(vm: VmInstance): WebAssembly.Imports {
  const env: ImportGroup = {
    ...bufferImports(vm),
    ...headerImports(vm),
    ...httpImports(vm),
    ...loggingImports(vm),
    ...metricImports(vm),
    ...miscImports(vm),
    ...propertyImports(vm),
    ...sharedImports(vm),
    ...streamImports(vm),
    ...timeImports(vm),
  };
  const wasi = wasiImports(vm);
  const imports: Record<string, ImportGroup> = {};
  for (const key of HOST_IMPORT_TYPES.keys()) {
    const [module, name] = [key.slice(0, key.indexOf(".")), key.slice(key.indexOf(".") + 1)];
    const impl = module === "env" ? env[name] : wasi[name];
    if (!impl) throw new Error(`host bug: no implementation of ${key}`);
    (imports[module] ??= {})[name] = guard(vm, key, impl, module === "env" ? Status.InvalidMemoryAccess : WASI_EFAULT);
  }
  return imports;
}

function guard(vm: VmInstance, key: string, impl: ImportFn, memoryFault: number): ImportFn {
  return (...args) => {
    vm.checkAllowed(key);
    try {
      return impl(...args.map((a) => (typeof a === "number" ? a >>> 0 : a)));
    } catch (e) {
      if (e instanceof MemoryAccessError) return memoryFault;
      throw e;
    }
  };
}
