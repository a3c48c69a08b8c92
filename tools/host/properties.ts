// proxy_get_property paths (§5): segments as the module split them at NUL, values in Envoy's
// encodings (strings raw, ints 8 bytes LE, maps as pairs, `metadata` as protobuf Metadata).
// Root contexts have no stream, so only plugin_* resolve there; request.* values derived from
// headers need the request header map, which Envoy drops once the request continued.
import { MapType } from "./abi";
import { binary, fromBinary, toBytes } from "./bytes";
import { type Context, StreamContext } from "./contexts";
import type { HeaderMap } from "./headers";
import { encodePairs } from "./pairs";
import { encodeMetadata } from "./protobuf";

const DEFAULT_SOURCE = "127.0.0.1:50000";
const DEFAULT_DESTINATION = "127.0.0.1:10000";
const QUESTION_MARK = 0x3f;

function int64(value: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(value), true);
  return out;
}

export function readProperty(context: Context, path: string[]): Uint8Array | undefined {
  const [name, ...rest] = path;
  const host = context.vm.host;
  const plugin =
    name === "plugin_name" ? host.pluginName : name === "plugin_root_id" ? host.rootId : name === "plugin_vm_id" ? host.vmId : undefined;
  if (plugin !== undefined) return rest.length ? undefined : toBytes(plugin);
  if (!(context instanceof StreamContext)) return undefined;
  switch (name) {
    case "request":
      return requestProperty(context, rest);
    case "source":
      return addressProperty(context.spec.source ?? DEFAULT_SOURCE, rest);
    case "destination":
      return addressProperty(context.spec.destination ?? DEFAULT_DESTINATION, rest);
    case "metadata":
      return rest.length ? undefined : encodeMetadata(context.spec.metadata ?? {});
    default:
      return context.filterState.get(path.join("\0"));
  }
}

function addressProperty(address: string, [field, ...rest]: string[]): Uint8Array | undefined {
  if (rest.length) return undefined;
  if (field === "address") return toBytes(address);
  if (field === "port") return int64(Number(address.slice(address.lastIndexOf(":") + 1)));
  return undefined;
}

/** header values of one name joined with ",", as Envoy's CEL header map does */
function joinedHeaders(map: HeaderMap): Map<string, Uint8Array> {
  const joined = new Map<string, Uint8Array>();
  for (const [name, value] of map.pairs()) {
    const key = binary(name);
    const previous = joined.get(key);
    joined.set(key, previous ? Buffer.concat([previous, toBytes(","), value]) : value);
  }
  return joined;
}

/** request.<field> read straight from a request header */
const HEADER_FIELDS: Record<string, string> = {
  path: ":path",
  host: ":authority",
  scheme: ":scheme",
  method: ":method",
  id: "x-request-id",
  referer: "referer",
  useragent: "user-agent",
};

function requestProperty(stream: StreamContext, [field, key, ...rest]: string[]): Uint8Array | undefined {
  if (rest.length || (key !== undefined && field !== "headers")) return undefined;
  if (field === "time") return int64(stream.startNs);
  if (field === "protocol") return toBytes("HTTP/1.1");
  const headers = stream.headerMap(MapType.RequestHeaders);
  if (!headers) return undefined;
  if (Object.hasOwn(HEADER_FIELDS, field)) return headers.get(HEADER_FIELDS[field]);
  if (field === "url_path" || field === "query") {
    const path = headers.get(":path");
    if (!path) return undefined;
    const mark = path.indexOf(QUESTION_MARK);
    const end = mark < 0 ? path.length : mark;
    return field === "url_path" ? path.subarray(0, end) : path.subarray(Math.min(end + 1, path.length));
  }
  if (field !== "headers") return undefined;
  const joined = joinedHeaders(headers);
  if (key !== undefined) return joined.get(binary(key));
  return encodePairs([...joined].map(([name, value]) => [fromBinary(name), value]));
}
