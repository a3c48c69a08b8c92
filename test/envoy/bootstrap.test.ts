// The generated bootstrap: filter order and what the wasm filter receives.
import { describe, expect, it } from "vitest";
import { buildBootstrap, buildDynamicBootstrap, listenersDocument } from "../../tools/envoy/bootstrap";

const httpFilters = (b: any) =>
  b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters as { name: string; typed_config: any }[];

describe("buildBootstrap", () => {
  it("puts extra filters before the wasm filter and the router last", () => {
    const jwt = { name: "envoy.filters.http.jwt_authn", typed_config: {} };
    const b = buildBootstrap({ appPort: 1, httpFilters: [jwt], wasm: { wasmFile: "/m.wasm", configuration: '{"a":1}' } });
    expect(httpFilters(b).map((f) => f.name)).toEqual([
      "envoy.filters.http.jwt_authn",
      "envoy.filters.http.wasm",
      "envoy.filters.http.router",
    ]);
    expect(httpFilters(b)[1].typed_config.config).toMatchObject({
      vm_config: { runtime: "envoy.wasm.runtime.v8", code: { local: { filename: "/m.wasm" } } },
      configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: '{"a":1}' },
      failure_policy: "FAIL_CLOSED",
    });
  });

  it("has only the router without a wasm module, and one cluster per name", () => {
    const b: any = buildBootstrap({ appPort: 1, clusters: { "outbound|443||su1.3scale.net": 2 } });
    expect(httpFilters(b).map((f) => f.name)).toEqual(["envoy.filters.http.router"]);
    expect(b.static_resources.clusters.map((c: any) => [c.name, c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value])).toEqual([
      ["app", 1],
      ["outbound|443||su1.3scale.net", 2],
    ]);
  });

  it("moves the same listener to file-based LDS on a fixed port when asked", () => {
    const o = { appPort: 1, clusters: { backend: 2 }, wasm: { wasmFile: "/m.wasm", configuration: "{}" } };
    const b: any = buildDynamicBootstrap(o, "/d/lds/listeners.json", "/d/lds");
    expect(b.static_resources.listeners).toBeUndefined();
    expect(b.static_resources.clusters.map((c: any) => c.name)).toEqual(["app", "backend"]);
    expect(b.dynamic_resources.lds_config.path_config_source).toEqual({ path: "/d/lds/listeners.json", watched_directory: { path: "/d/lds" } });
    const doc: any = listenersDocument(o, 4321, 3);
    const { "@type": type, ...listener } = doc.resources[0];
    expect([doc.version_info, type]).toEqual(["3", "type.googleapis.com/envoy.config.listener.v3.Listener"]);
    const staticListener: any = (buildBootstrap(o) as any).static_resources.listeners[0];
    expect(listener).toEqual({ ...staticListener, address: { socket_address: { address: "127.0.0.1", port_value: 4321 } } });
  });
});
