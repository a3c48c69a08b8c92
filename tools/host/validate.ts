// Load-time checks Envoy (proxy-wasm-cpp-host, V8 runtime) applies before running any module
// code, with Envoy's own error texts, so a module that passes here links in Envoy too.
import { CALLBACK_TYPES, HOST_IMPORT_TYPES } from "./abi";
import { readSignatures, type ModuleSignatures } from "./wasm-binary";

export class WasmLoadError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("\n"));
    this.name = "WasmLoadError";
  }
}

export interface ModuleInfo {
  /** the export the host allocates through: cpp-host prefers `malloc` */
  allocator: "malloc" | "proxy_on_memory_allocate";
  /** names of exported functions */
  functions: ReadonlySet<string>;
}

const ABI_EXPORT = "proxy_abi_version_0_2_1";

function importErrors({ imports }: ModuleSignatures): string[] {
  const errors: string[] = [];
  for (const imp of imports) {
    const key = `${imp.module}.${imp.name}`;
    const want = HOST_IMPORT_TYPES.get(key);
    if (imp.kind === "memory" || imp.kind === "table") {
      errors.push(`Failed to load Wasm module: ${imp.kind} import ${key} is not supported by the test host`);
    } else if (want === undefined || imp.kind !== "function") {
      errors.push(`Failed to load Wasm module due to a missing import: ${key}`);
    } else if (imp.type !== want) {
      errors.push(
        `Failed to load Wasm module due to an import type mismatch: ${key}, want: ${imp.type}, but host exports: ${want}`,
      );
    }
  }
  return errors;
}

/** Envoy's link errors for every import of the module; empty when it links. For CI. */
export function checkImports(bytes: Uint8Array): string[] {
  return importErrors(readSignatures(bytes));
}

function abiErrors({ exports }: ModuleSignatures): string[] {
  const versions = exports.filter((e) => e.name.startsWith("proxy_abi_version_")).map((e) => e.name);
  if (versions.length === 1 && versions[0] === ABI_EXPORT) return [];
  if (versions.length === 1) return [`Proxy-Wasm ABI ${versions[0]} is not emulated by this host (0.2.1 only)`];
  return ["Missing or unknown Proxy-Wasm ABI version"];
}

/** cpp-host looks up `main` only next to `_initialize`, `_start` only without it, and
 *  `proxy_on_memory_allocate` only when `malloc` is missing: only looked-up exports are typed. */
function callbackErrors(types: Map<string, string>): string[] {
  const skipped = new Set([types.has("_initialize") ? "_start" : "main"]);
  if (types.has("malloc")) skipped.add("proxy_on_memory_allocate");
  const errors: string[] = [];
  if (!types.has("malloc") && !types.has("proxy_on_memory_allocate")) {
    errors.push("Wasm module is missing malloc function.");
  }
  for (const [name, want] of CALLBACK_TYPES) {
    const have = types.get(name);
    if (have !== undefined && have !== want && !skipped.has(name)) {
      errors.push(`Bad function signature for: ${name}, want: ${want}, but the module exports: ${have}`);
    }
  }
  return errors;
}

/** Throws WasmLoadError with Envoy's messages. Like Envoy, loading stops at the first failing
 *  stage: ABI version, then linking (imports), then the exports it looks up. */
export function validateModule(bytes: Uint8Array): ModuleInfo {
  const signatures = readSignatures(bytes);
  const functionTypes = new Map(
    signatures.exports.filter((e) => e.kind === "function").map((e) => [e.name, e.type ?? ""]),
  );
  const hasMemory = signatures.exports.some((e) => e.kind === "memory" && e.name === "memory");
  const stages = [
    () => abiErrors(signatures),
    () => importErrors(signatures),
    () => [...(hasMemory ? [] : ["Failed to load Wasm module: no exported memory"]), ...callbackErrors(functionTypes)],
  ];
  for (const stage of stages) {
    const errors = stage();
    if (errors.length) throw new WasmLoadError(errors);
  }
  return {
    allocator: functionTypes.has("malloc") ? "malloc" : "proxy_on_memory_allocate",
    functions: new Set(functionTypes.keys()),
  };
}
