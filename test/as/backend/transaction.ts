// Test entry: transaction keys as the cache stores them, built from plain strings.
import { Usage, Usages } from "../../../assembly/config/types";
import { TransactionKey, transactionKey } from "../../../assembly/backend/transaction";
export { MAX_TRANSACTION_KEY } from "../../../assembly/backend/transaction";

function key(serviceId: string, name: string, value: string, appKey: string | null, metrics: Array<string>, deltas: Array<string>): TransactionKey | null {
  const usages = new Usages();
  for (let i = 0; i < metrics.length; i++) usages.add(new Usage(metrics[i], I64.parseInt(deltas[i])));
  return transactionKey(serviceId, name, value, appKey, usages);
}

/** [text, hash] of the key (appKey "" for none), or null when it is too long to cache */
export function build(serviceId: string, name: string, value: string, appKey: string, metrics: Array<string>, deltas: Array<string>): Array<string> | null {
  const k = key(serviceId, name, value, appKey.length > 0 ? appKey : null, metrics, deltas);
  return k ? [k.text, k.hash.toString()] : null;
}

/** whether building the same key twice in a row gives one shared object */
export function sharedWhenRepeated(value: string): bool {
  const a = key("1", "user_key", value, null, ["hits"], ["1"]);
  const b = key("1", "user_key", value, null, ["hits"], ["1"]);
  return a != null && a === b;
}
