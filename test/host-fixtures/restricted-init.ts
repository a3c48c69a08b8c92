// Top-level code (run by _initialize) calls an import Envoy forbids during initialization.
import * as abi from "./lib/abi";

export { malloc, proxy_abi_version_0_2_1 } from "./lib/util";

abi.proxy_set_tick_period_milliseconds(1000);
