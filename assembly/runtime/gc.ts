// The module uses AssemblyScript's minimal runtime (two-colour mark & sweep): about 40% of the
// incremental runtime's code size, with no write barriers or shadow stack on the request path.
// It collects only when asked, and only while no managed value is on the Wasm stack, which is
// true when a host callback returns. Collecting every few callbacks bounds the garbage to a
// few requests' worth while keeping the mark cost (proportional to the configuration's size)
// amortised.

const CALLBACKS_PER_COLLECTION: i32 = 64;
let callbacksSinceCollection: i32 = 0;

/** call as the last statement of an exported callback */
export function collectPeriodically(): void {
  if (++callbacksSinceCollection < CALLBACKS_PER_COLLECTION) return;
  callbacksSinceCollection = 0;
  __collect();
}

/** after on_configure: the previous configuration is garbage now */
export function collectNow(): void {
  callbacksSinceCollection = 0;
  __collect();
}
