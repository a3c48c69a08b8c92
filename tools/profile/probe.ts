// An extra entry of the bench's profile build (bench/profile.ts compiles it beside
// assembly/index.ts): exports the runtime's allocation totals, so the bench counts exactly the
// blocks and bytes one request allocates. The module Envoy loads does not export them.
export { allocatedBlocks as authrep_probe_blocks, allocatedBytes as authrep_probe_bytes } from "../../assembly/runtime/gc";
