// What Envoy Gateway (1.9) makes of examples/envoy-gateway, reproduced as a standalone bootstrap
// (its internal/xds/translator/wasm.go and jsonpatch.go): each wasm[] entry of the
// EnvoyExtensionPolicy becomes a filter `envoy.filters.http.wasm/<ir name>`, disabled on the
// listener and enabled on the target's routes, whose configuration is the entry's `config` as
// JSON in a StringValue (name = the entry's name, vm_id = the ir name, V8, fail_open only when
// failOpen); each Cluster an EnvoyPatchPolicy adds exists as written. For the test, the module is
// the local build (Envoy Gateway serves the pulled image to Envoy over HTTP) and every added
// cluster points at the loopback backend in plain HTTP (the example's DNS + TLS is checked by
// `envoy --mode validate` in envoy-gateway.test.ts).
import { buildBootstrap, type BootstrapOptions } from "../../../tools/envoy/bootstrap";
import { wasmFile } from "../support";
import { ofKind, type Manifest } from "../../support/examples";
import type { LoopbackPorts } from "./istio";

const CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

/** the `config` of the one wasm entry as Envoy Gateway passes it: JSON text, "" when absent */
export const gatewayPluginConfig = (entry: any) => (entry.config === undefined ? "" : JSON.stringify(entry.config));

export function extensionPolicy(ms: Manifest[]): { policy: Manifest; entry: any; irName: string } {
  const [policy, ...more] = ofKind(ms, "EnvoyExtensionPolicy");
  if (!policy || more.length || policy.spec.wasm?.length !== 1) throw new Error("expected one EnvoyExtensionPolicy with one wasm entry");
  return { policy, entry: policy.spec.wasm[0], irName: `envoyextensionpolicy/${policy.metadata.namespace}/${policy.metadata.name}/wasm/0` };
}

/** the Clusters the EnvoyPatchPolicies add whole (op add, empty path) */
export function addedClusters(ms: Manifest[]): any[] {
  return ofKind(ms, "EnvoyPatchPolicy").flatMap((p) => p.spec.jsonPatches as any[])
    .filter((j) => j.type === CLUSTER_TYPE && j.operation.op === "add" && !j.operation.path)
    .map((j) => j.operation.value);
}

const loopback = (cluster: any, port: number) => {
  const { transport_socket: _tls, dns_lookup_family: _dns, ...rest } = cluster;
  const address = { socket_address: { address: "127.0.0.1", port_value: port } };
  return { ...rest, type: "STATIC", load_assignment: { cluster_name: cluster.name, endpoints: [{ lb_endpoints: [{ endpoint: { address } }] }] } };
};

export function envoyGatewayBootstrap(ms: Manifest[], ports: LoopbackPorts): BootstrapOptions {
  const { entry, irName } = extensionPolicy(ms);
  const filterName = `envoy.filters.http.wasm/${irName}`;
  const bootstrap = buildBootstrap({ appPort: ports.app }) as any;
  const hcm = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  hcm.http_filters.unshift({
    name: filterName,
    disabled: true,
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
      config: {
        name: entry.name ?? irName,
        ...(entry.rootID ? { root_id: entry.rootID } : {}),
        vm_config: { vm_id: irName, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: wasmFile } } },
        configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: gatewayPluginConfig(entry) },
        ...(entry.failOpen ? { fail_open: true } : {}),
      },
    },
  });
  for (const route of hcm.route_config.virtual_hosts[0].routes) {
    route.typed_per_filter_config = { [filterName]: { "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", config: {} } };
  }
  bootstrap.static_resources.clusters.push(...addedClusters(ms).map((c) => loopback(c, ports.backend)));
  return { appPort: ports.app, standalone: bootstrap };
}
