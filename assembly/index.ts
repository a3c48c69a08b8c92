// authrep-wasm: the proxy-wasm module Envoy loads. Wires the ABI exports to our root context.
import { setRootContextFactory, setUnknownStreamHandler, RootContext } from "./abi/context";
import { AuthrepRootContext } from "./filter/root";
import { denyUnknownStream } from "./filter/http";
export * from "./abi/exports";
import "./runtime/abort";

setRootContextFactory((id: u32): RootContext => new AuthrepRootContext(id));
setUnknownStreamHandler(denyUnknownStream);
