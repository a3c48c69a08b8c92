// The proxy-config request (docs/backend-protocol.md §4). Inserted values are percent-encoded
// like authrep parameters, so an id or token cannot change the path or add parameters.
import { Service, SystemConfig } from "../config/types";
import { percentEncodeComponent } from "../url/form";
import { StringBuilder } from "../text/builder";

export class FetchRequest {
  constructor(public cluster: string, public timeoutMs: u32, public headers: Array<string>) {}
}

/** Porta knows these; anything else is sent as `unknown`, which it rejects */
export function fetchEnvironment(environment: string): string {
  return environment == "production" || environment == "staging" || environment == "sandbox" ? environment : "unknown";
}

export function buildFetchRequest(system: SystemConfig, service: Service): FetchRequest {
  const url = system.upstream.url;
  const path = new StringBuilder().add(url.basePath).add("admin/api/services/").add(percentEncodeComponent(service.id))
    .add("/proxy/configs/").add(percentEncodeComponent(fetchEnvironment(service.environment))).add("/latest.json?");
  const query = url.query;
  if (query != null) path.add(query).addCode(0x26);
  path.add("access_token=").add(percentEncodeComponent(system.token));

  const headers = new Array<string>();
  headers.push(":authority"); headers.push(url.authority);
  headers.push(":scheme"); headers.push(url.scheme);
  headers.push(":method"); headers.push("GET");
  headers.push(":path"); headers.push(path.toString());
  // the host takes a u32 millisecond timeout
  const timeoutMs = system.upstream.timeoutMs;
  return new FetchRequest(system.upstream.name, timeoutMs > <u64>U32.MAX_VALUE ? U32.MAX_VALUE : <u32>timeoutMs, headers);
}
