// The pinned section's Envoy: one worker (`--concurrency 1`), every thread pinned to one CPU,
// one listener per variant, and a `direct` listener answering both for the upstream app and for
// the 3scale backend (`direct_response`), so no other process shares that CPU and all the
// variants run in one process, measured one at a time.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBootstrap, buildListener, LISTENER_NAME, type WasmFilterOptions } from "../tools/envoy/bootstrap";
import { freePort, startEnvoy, type RunningEnvoy } from "../tools/envoy/envoy";
import { locateEnvoy } from "../tools/envoy/locate";

/** each variant calls the backend through a cluster of its own, so its calls are counted apart */
export const backendClusterOf = (id: string) => `backend-${id}`;

export interface PinnedListener {
  /** listener name and stat prefix: its stats are `listener.<id>.http.ingress.*` */
  id: string;
  /** absent: Envoy alone */
  wasm?: WasmFilterOptions;
}

export interface PinnedEnvoy {
  envoy: RunningEnvoy;
  /** listener id → port */
  ports: Record<string, number>;
  stop(): Promise<void>;
}

// An authorized authrep answer: the module reads only `:status` and, on a denial,
// `3scale-rejection-reason`; the body is what 3scale sends, for modules that parse it.
const AUTHORIZED_XML = '<?xml version="1.0" encoding="UTF-8"?><status><authorized>true</authorized><plan>Bench</plan></status>';

function directListener(port: number): object {
  const direct = (status: number, body: string, contentType: string) => ({
    direct_response: { status, body: { inline_string: body } },
    response_headers_to_add: [{ header: { key: "content-type", value: contentType } }],
  });
  const hcm = {
    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    stat_prefix: "direct",
    route_config: {
      virtual_hosts: [{
        name: "direct",
        domains: ["*"],
        routes: [
          // authrep.xml and the cache's reports (transactions.xml)
          { match: { prefix: "/transactions" }, ...direct(200, AUTHORIZED_XML, "application/vnd.3scale-v2.0+xml") },
          { match: { prefix: "/" }, ...direct(200, "ok", "text/plain") },
        ],
      }],
    },
    http_filters: [{ name: "envoy.filters.http.router", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } }],
  };
  return {
    // startEnvoy looks for a listener of this name; here it is the one serving the upstream
    name: LISTENER_NAME,
    address: { socket_address: { address: "127.0.0.1", port_value: port } },
    filter_chains: [{ filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: hcm }] }],
  };
}

/** Starts the Envoy with `listeners` on `cpu` (taskset); ports are discovered from the admin API. */
export async function startPinnedEnvoy(listeners: PinnedListener[], cpu: number): Promise<PinnedEnvoy> {
  const envoyBin = locateEnvoy();
  if (!envoyBin) throw new Error("Envoy not found; run scripts/ensure-envoy.sh");
  const directPort = await freePort();
  const clusters = Object.fromEntries(listeners.map((l) => [backendClusterOf(l.id), directPort]));
  const bootstrap = buildBootstrap({ appPort: directPort, clusters }) as { static_resources: { listeners: object[] } };
  bootstrap.static_resources.listeners = [
    directListener(directPort),
    ...listeners.map((l) => ({ ...buildListener({ appPort: directPort, clusters, accessLog: false, wasm: l.wasm }), name: l.id, stat_prefix: l.id })),
  ];
  // exec keeps the pid: the process startEnvoy watches, stops and we read /proc of is Envoy
  const dir = mkdtempSync(join(tmpdir(), "pinned-envoy-"));
  const wrapper = join(dir, "envoy");
  writeFileSync(wrapper, `#!/bin/sh\nexec taskset -c ${cpu} ${JSON.stringify(envoyBin)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    const envoy = await startEnvoy({
      bin: wrapper,
      concurrency: 1,
      componentLogLevel: "", // the reference logs ~6 info lines per request: Envoy stays at warn
      bootstrap: { appPort: directPort, standalone: bootstrap },
    });
    const info = JSON.parse(await envoy.admin("/listeners?format=json")) as {
      listener_statuses: { name: string; local_address: { socket_address: { port_value: number } } }[];
    };
    const ports = Object.fromEntries(info.listener_statuses.map((l) => [l.name, l.local_address.socket_address.port_value]));
    return {
      envoy,
      ports,
      stop: async () => {
        await envoy.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
