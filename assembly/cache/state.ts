// The cache of one root context: the shared authorization and usage tables and this worker's
// reporter, built from `backend.cache` at every configure.
import { CacheConfig } from "../config/cache";
import { SharedData } from "../runtime/shared_data";
import { CallDispatcher } from "../runtime/calls";
import { parseDecimal } from "../text/decimal";
import { AuthorizationCache } from "./authorizations";
import { Reporter } from "./reporter";
import { SharedSlots } from "./shared_slots";
import { TransactionKey } from "../backend/transaction";
import { UsageTable } from "./usage_table";

/**
 * how long a backend may take to count a report it accepted (Apisonator's worker counts about a
 * second after the call): a key whose allowance is used up is asked again only after the next
 * report and this long
 */
const COUNTING_DELAY_MS: u64 = 2000;

export class CacheState {
  constructor(public settings: CacheConfig, public authorizations: AuthorizationCache, public reporter: Reporter) {}

  /**
   * `prefix`: the plugin's shared-data key prefix (system/coordination.ts); `previous`: this root
   * context's cache before the re-configure, whose reports it takes over
   */
  static create(store: SharedData, calls: CallDispatcher, prefix: string, settings: CacheConfig, fingerprint: u32, nowMs: u64, previous: CacheState | null): CacheState {
    const table = new UsageTable(new SharedSlots(store, prefix + "u/", settings.maxEntries));
    const authorizations = new AuthorizationCache(new SharedSlots(store, prefix + "a/", settings.maxEntries), fingerprint,
      settings.reportIntervalMs + COUNTING_DELAY_MS);
    const reporter = new Reporter(table, calls, settings, nowMs, widenExtent(store, prefix + "u/extent", settings.maxEntries));
    if (previous) reporter.adopt(previous.reporter);
    return new CacheState(settings, authorizations, reporter);
  }

  /** one more request of `key` to report; false when the usage table cannot take it */
  record(key: TransactionKey): bool {
    const slot = this.reporter.table.add(key, 1, 0);
    this.reporter.touched(slot);
    return slot >= 0;
  }

  /** requests of `key` allowed but not reported yet: the backend's remaining count does not know them */
  unreported(key: TransactionKey): i64 {
    return this.reporter.table.pending(key);
  }
}

/**
 * the most usage slots any configuration of this plugin has used: a smaller `max_entries` after
 * a reload must still report what lies in the slots beyond it
 */
function widenExtent(store: SharedData, key: string, size: u32): u32 {
  const stored = store.read(key);
  const value = stored.value;
  const extent = value ? parseDecimal(String.UTF8.decode(value)) : -1;
  if (extent >= <i64>size) return <u32>min(extent, <i64>U32.MAX_VALUE);
  store.write(key, String.UTF8.encode(size.toString()), 0);
  return size;
}
