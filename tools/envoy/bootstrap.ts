// Builds the Envoy v3 static bootstrap used by the e2e tests and the benchmark (docs/deployment.md §2),
// and its opt-in variant whose listener comes from file-based LDS (reliability tests reload it).
// Everything listens on 127.0.0.1; ports are 0 and discovered after start (see envoy.ts), except
// the LDS listener's, which must stay the same across reloads.

export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";

export interface WasmFilterOptions {
  /** absolute path of the .wasm module */
  wasmFile: string;
  /** plugin configuration text, delivered to on_configure (StringValue, as Istio does) */
  configuration: string;
  name?: string;
  rootId?: string;
  vmId?: string;
  failurePolicy?: FailurePolicy;
}

export interface BootstrapOptions {
  /** port of the upstream app on 127.0.0.1; every route goes to cluster `app` */
  appPort: number;
  /** further clusters, name → port on 127.0.0.1 (e.g. `outbound|443||su1.3scale.net`) */
  clusters?: Record<string, number>;
  /** omitted → no wasm filter (baseline) */
  wasm?: WasmFilterOptions;
  /** HTTP filters placed before the wasm filter, as typed filter configs (e.g. jwt_authn) */
  httpFilters?: object[];
  /** access log line `ACCESS <code> <details> <path>` on stdout; default true */
  accessLog?: boolean;
  /**
   * a complete bootstrap (e.g. a checked-in example) used as it is instead of the generated one;
   * the other options are then ignored, and its listener must be named `ingress`
   */
  standalone?: object;
}

export const ACCESS_LOG_PREFIX = "ACCESS ";
export const LISTENER_NAME = "ingress";

const address = (port: number) => ({ socket_address: { address: "127.0.0.1", port_value: port } });

function cluster(name: string, port: number) {
  return {
    name,
    type: "STATIC",
    connect_timeout: "1s",
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: address(port) } }] }] },
  };
}

function wasmFilter(w: WasmFilterOptions) {
  return {
    name: "envoy.filters.http.wasm",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
      config: {
        name: w.name ?? "test.authrep-wasm",
        root_id: w.rootId ?? "",
        vm_config: {
          vm_id: w.vmId ?? "",
          runtime: "envoy.wasm.runtime.v8",
          code: { local: { filename: w.wasmFile } },
        },
        configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: w.configuration },
        failure_policy: w.failurePolicy ?? "FAIL_CLOSED",
      },
    },
  };
}

const accessLog = {
  name: "envoy.access_loggers.stdout",
  typed_config: {
    "@type": "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
    log_format: { text_format_source: { inline_string: `${ACCESS_LOG_PREFIX}%RESPONSE_CODE% %RESPONSE_CODE_DETAILS% %REQ(:PATH)%\n` } },
  },
};

/** the `ingress` listener on 127.0.0.1:`port` (0: any free port) */
export function buildListener(o: BootstrapOptions, port = 0): object {
  const httpFilters = [
    ...(o.httpFilters ?? []),
    ...(o.wasm ? [wasmFilter(o.wasm)] : []),
    { name: "envoy.filters.http.router", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } },
  ];
  const hcm = {
    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    stat_prefix: "ingress",
    access_log: o.accessLog === false ? [] : [accessLog],
    route_config: {
      virtual_hosts: [{ name: "all", domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: "app" } }] }],
    },
    http_filters: httpFilters,
  };
  return {
    name: LISTENER_NAME,
    address: address(port),
    // spread connections evenly over the workers so both VM instances see traffic
    connection_balance_config: { exact_balance: {} },
    filter_chains: [{ filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: hcm }] }],
  };
}

const clusters = (o: BootstrapOptions) =>
  Object.entries({ app: o.appPort, ...o.clusters }).map(([name, port]) => cluster(name, port));

export function buildBootstrap(o: BootstrapOptions): object {
  if (o.standalone) return o.standalone;
  return {
    admin: { address: address(0) },
    static_resources: { listeners: [buildListener(o)], clusters: clusters(o) },
  };
}

/**
 * The same setup with the listener served by file-based LDS: Envoy reads `listenersFile` (see
 * `listenersDocument`) and reloads it whenever a file is moved into `watchedDir`, so a test can
 * change the listener (e.g. the plugin configuration) while Envoy runs. Clusters stay static.
 */
export function buildDynamicBootstrap(o: BootstrapOptions, listenersFile: string, watchedDir: string): object {
  if (o.standalone) throw new Error("a standalone bootstrap cannot be combined with dynamic LDS");
  return {
    node: { id: "authrep-wasm-test", cluster: "authrep-wasm-test" }, // LDS requires both
    admin: { address: address(0) },
    static_resources: { clusters: clusters(o) },
    dynamic_resources: {
      lds_config: { resource_api_version: "V3", path_config_source: { path: listenersFile, watched_directory: { path: watchedDir } } },
    },
  };
}

/** the LDS file content: a DiscoveryResponse holding the one listener, on a fixed port */
export function listenersDocument(o: BootstrapOptions, port: number, version: number): object {
  return {
    version_info: String(version),
    resources: [{ "@type": "type.googleapis.com/envoy.config.listener.v3.Listener", ...buildListener(o, port) }],
  };
}
