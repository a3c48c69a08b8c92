// The `filter` lookup source (docs/configuration.md §8.3): values that other filters left in the
// request's dynamic metadata (e.g. a JWT payload verified by Envoy's jwt_authn).
import { JsonKind, JsonValue } from "../json/value";
import { stepSelect, walkPath } from "../ops/select";

/** where a request's filter metadata comes from: namespace → Struct, decoded on demand */
export abstract class MetadataSource {
  abstract load(): JsonValue | null;
}

/**
 * The initial stack the source yields (possibly empty, for an empty list), or null when it
 * does not resolve: the path needs a namespace and an entry; then each key in turn, the first
 * that selects anything deciding, whatever it selected.
 */
export function lookupMetadata(metadata: JsonValue, path: Array<string>, keys: Array<string>): Array<string> | null {
  if (path.length < 2) return null;
  const namespace = metadata.get(path[0]);
  if (!namespace || namespace.kind != JsonKind.Object) return null;
  // at this level "" is an ordinary entry name; below it, empty steps are skipped
  const entry = stepSelect(namespace, path[1]);
  if (!entry) return null;
  const value = walkPath(entry, path.slice(2));
  if (!value) return null;
  for (let i = 0; i < keys.length; i++) {
    const selected = keys[i].length == 0 ? value : stepSelect(value, keys[i]);
    if (selected) return toStack(selected);
  }
  return null;
}

/** a string, a list of strings, or a one-entry struct holding either; anything else: null */
function toStack(v: JsonValue): Array<string> | null {
  if (v.kind == JsonKind.Object) {
    if (v.length != 1) return null;
    const only = v.at(0);
    return only.kind == JsonKind.String || only.kind == JsonKind.Array ? toStack(only) : null;
  }
  if (v.kind == JsonKind.String) return [v.text];
  if (v.kind != JsonKind.Array) return null;
  const out = new Array<string>(v.length);
  for (let i = 0; i < v.length; i++) {
    const item = v.at(i);
    if (item.kind != JsonKind.String) return null;
    out[i] = item.text;
  }
  return out;
}
