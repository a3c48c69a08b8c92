// The proxy-config request (authorization-flow.md §7.2). Inserted values are percent-encoded
// like authrep parameters, so an id or token cannot change the path or add parameters.
import { Service, SystemConfig } from "../config/types";
import { percentEncodeComponent } from "../url/form";

export class FetchRequest {
  constructor(public cluster: string, public timeoutMs: u32, public headers: Array<string>) {}
}

/** Porta knows these; anything else is sent as `unknown`, which it rejects */
export function fetchEnvironment(environment: string): string {
  return environment == "production" || environment == "staging" || environment == "sandbox" ? environment : "unknown";
}

export function buildFetchRequest(system: SystemConfig, service: Service): FetchRequest {
  const url = system.upstream.url;
  let path = url.basePath + "admin/api/services/" + percentEncodeComponent(service.id) + "/proxy/configs/"
    + percentEncodeComponent(fetchEnvironment(service.environment)) + "/latest.json?";
  const query = url.query;
  if (query != null) path += query + "&";
  path += "access_token=" + percentEncodeComponent(system.token);

  const headers = new Array<string>();
  headers.push(":authority"); headers.push(url.authority);
  headers.push(":scheme"); headers.push(url.scheme);
  headers.push(":method"); headers.push("GET");
  headers.push(":path"); headers.push(path);
  // the host takes a u32 millisecond timeout
  const timeoutMs = system.upstream.timeoutMs;
  return new FetchRequest(system.upstream.name, timeoutMs > <u64>U32.MAX_VALUE ? U32.MAX_VALUE : <u32>timeoutMs, headers);
}
