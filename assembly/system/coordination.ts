// Where workers share fetch records: Envoy's shared data, process-wide and visible to every
// worker VM (docs/design.md §4). Istio leaves vm_id empty, so every plugin on a proxy sees
// the same namespace: keys carry the plugin name and root id. Writes are compare-and-swap, so
// of several workers acting on the same record only one wins.
import { SharedData } from "../runtime/shared_data";
import { decodeRecord, FetchRecord } from "./record";

export class StoredRecord {
  constructor(public record: FetchRecord | null, public cas: u32) {}
}

/** "authrep-wasm/<plugin_name>/<plugin_root_id>/", from the plugin's properties of those names */
export function keyPrefix(pluginName: string, pluginRootId: string): string {
  return "authrep-wasm/" + pluginName + "/" + pluginRootId + "/";
}

export function loadRecord(store: SharedData, key: string): StoredRecord {
  const stored = store.read(key);
  const value = stored.value;
  return new StoredRecord(value ? decodeRecord(value) : null, stored.cas);
}

/** false when another worker wrote the record since it was read with `cas` */
export function storeRecord(store: SharedData, key: string, record: FetchRecord, cas: u32): bool {
  return store.write(key, record.encode(), cas);
}
