// Where workers share fetch records: Envoy's shared data, process-wide and visible to every
// worker VM (docs/design.md §4). Istio leaves vm_id empty, so every plugin on a proxy sees
// the same namespace: keys carry the plugin name and root id. Writes are compare-and-swap, so
// of several workers acting on the same record only one wins.
import { Status } from "../abi/enums";
import * as host from "../abi/host";
import { decodeRecord, FetchRecord } from "./record";

export class StoredRecord {
  constructor(public record: FetchRecord | null, public cas: u32) {}
}

/** "authrep-wasm/<plugin_name>/<plugin_root_id>/" */
export function keyPrefix(): string {
  return "authrep-wasm/" + property("plugin_name") + "/" + property("plugin_root_id") + "/";
}

function property(name: string): string {
  const bytes = host.getProperty([name]);
  return bytes ? String.UTF8.decode(bytes) : "";
}

export function loadRecord(key: string): StoredRecord {
  const stored = host.getSharedData(key);
  const value = stored.value;
  return new StoredRecord(value ? decodeRecord(value) : null, stored.cas);
}

/** false when another worker wrote the record since it was read with `cas` */
export function storeRecord(key: string, record: FetchRecord, cas: u32): bool {
  return host.setSharedData(key, record.encode(), cas) == Status.Ok;
}
