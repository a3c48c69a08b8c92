// authrep-wasm: the proxy-wasm module Envoy loads. Wires the ABI exports to our root context.
import { setRootContextFactory, RootContext } from "./abi/context";
import { AuthrepRootContext } from "./filter/root";
export * from "./abi/exports";
import "./runtime/abort";

setRootContextFactory((id: u32): RootContext => new AuthrepRootContext(id));
