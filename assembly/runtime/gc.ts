// The module uses AssemblyScript's minimal runtime (two-colour mark & sweep): about 40% of the
// incremental runtime's code size, with no write barriers or shadow stack on the request path.
// It collects only when asked, and only while no managed value is on the Wasm stack, which is
// true when a host callback returns. Collecting every few callbacks bounds the garbage to a
// few requests' worth. A collection marks everything live, mostly the configuration, so the
// interval grows with the configuration's size and the cost per request stays flat.

const MIN_CALLBACKS_PER_COLLECTION: i32 = 64;
let callbacksPerCollection: i32 = MIN_CALLBACKS_PER_COLLECTION;
let callbacksSinceCollection: i32 = 0;

/** sizes the interval for a configuration of `configBytes` (one more callback per 128 bytes) */
export function scaleCollectionInterval(configBytes: i32): void {
  callbacksPerCollection = MIN_CALLBACKS_PER_COLLECTION + configBytes / 128;
}

/** call as the last statement of an exported callback */
export function collectPeriodically(): void {
  if (++callbacksSinceCollection < callbacksPerCollection) return;
  callbacksSinceCollection = 0;
  __collect();
}

/** after on_configure: the previous configuration is garbage now */
export function collectNow(): void {
  callbacksSinceCollection = 0;
  __collect();
}
