// Public entry point of the in-process proxy-wasm host (API documented in host.ts).
export { ProxyWasmHost } from "./host";
export { checkImports, validateModule, WasmLoadError, type ModuleInfo } from "./validate";
export { SharedState } from "./shared";
export { encodeMetadata, encodeStruct, encodeValue } from "./protobuf";
export { decodePairs, encodePairs, type BytePair } from "./pairs";
export type { MetricKind, MetricSnapshot } from "./metrics";
export type { VmInstance } from "./vm";
export type * from "./types";
