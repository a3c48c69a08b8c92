// The generated bootstrap: filter order and what the wasm filter receives.
import { describe, expect, it } from "vitest";
import { buildBootstrap } from "../../tools/envoy/bootstrap";

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
});
