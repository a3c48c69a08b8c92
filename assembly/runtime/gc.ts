// The module uses AssemblyScript's minimal runtime (two-colour mark & sweep): about 40% of the
// incremental runtime's code size, with no write barriers or shadow stack on the request path.
// It collects only when asked, and only while no managed value is on the Wasm stack, which is
// true when a host callback returns.
//
// Collection is driven by allocation. asconfig.json routes the runtime's `__new` and `__renew`
// through the two wrappers below (`use` aliases), which add the size of every block handed out
// to `allocated`; a callback ends with a collection once that reaches a quarter of the linear
// memory. With M the memory size, L the bytes live after a collection and a the most one
// callback allocates: the allocator only grows the memory when L + (garbage < M/4) + a > M,
// i.e. while M < 4/3 (L + a), and it at most doubles it, so M stays below 8/3 (L + a) (plus
// fragmentation), whatever the number of callbacks. Each collection marks L ≤ M and follows at
// least M/4 bytes of allocation: its cost per allocated byte is bounded too.
import { __new as runtimeNew, __renew as runtimeRenew } from "rt/tcms";
import { BLOCK, BLOCK_OVERHEAD, TOTAL_OVERHEAD } from "rt/common";

/** bytes of blocks allocated since the last collection */
let allocated: usize = 0;
/** blocks and bytes handed out since the start (wrapping): the bench's allocation probe reads them */
let totalBlocks: u32 = 0;
let totalBytes: u32 = 0;

/** the size in memory of the object at `ptr`: header, payload and the allocator's rounding */
function blockSize(ptr: usize): usize {
  return BLOCK_OVERHEAD + (changetype<BLOCK>(ptr - TOTAL_OVERHEAD).mmInfo & ~3);
}

/** the runtime's `__new` (asconfig.json `use`), counted */
export function countedNew(size: usize, id: i32): usize {
  const ptr = runtimeNew(size, id);
  count(blockSize(ptr));
  return ptr;
}

/** the runtime's `__renew` (asconfig.json `use`), counted: growing in place counts the whole block */
export function countedRenew(oldPtr: usize, size: usize): usize {
  const ptr = runtimeRenew(oldPtr, size);
  count(blockSize(ptr));
  return ptr;
}

@inline function count(size: usize): void {
  allocated += size;
  totalBlocks++;
  totalBytes += <u32>size;
}

/** blocks allocated since the start, wrapping at 2^32 (tools/profile/probe.ts) */
export function allocatedBlocks(): u32 {
  return totalBlocks;
}

/** bytes allocated since the start, wrapping at 2^32 (tools/profile/probe.ts, bench/configure-memory/entry.ts) */
export function allocatedBytes(): u32 {
  return totalBytes;
}

/** call as the last statement of an exported callback */
export function collectIfDue(): void {
  if (allocated < (<usize>memory.size() << 14)) return; // a quarter of the pages' 64 KiB
  collectNow();
}

/** after on_configure: the previous configuration is garbage now */
export function collectNow(): void {
  allocated = 0;
  __collect();
}
