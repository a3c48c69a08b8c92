import { describe, expect, it } from "vitest";
import { encodeMetadata } from "../../tools/host";
import { configuredHost, GET, header } from "./support";

const hex = (s: string | Uint8Array) => Buffer.from(s).toString("hex");
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(n));
  return b.toString("hex");
};

async function props(paths: string[], extra: [string, string][] = [], spec = {}) {
  const host = await configuredHost("props", "", { pluginName: "istio-system.auth", rootId: "auth", vmId: "vm" });
  const r = await host.request({ headers: GET("/a/b?c=d", [["x-paths", paths.join(",")], ...extra]), ...spec });
  return { host, values: Object.fromEntries((header(r.requestHeaders, "x-props") as string).split(",").map((p) => p.split(/[=!]/) as [string, string])) };
}

describe("proxy_get_property", () => {
  it("resolves only plugin_* in a root context", async () => {
    const { host } = await props([]);
    expect(host.logs.find((l) => l.instance === "worker 0")?.message).toBe(
      `root plugin_name=${hex("istio-system.auth")} plugin_root_id=${hex("auth")} plugin_vm_id=${hex("vm")} ` +
        "request.path!1 metadata!1 source.address!1",
    );
  });

  it("reads request attributes, addresses and dynamic metadata of a stream", async () => {
    const metadata = { "envoy.filters.http.jwt_authn": { payload: { azp: "app1", aud: ["a", "b"], exp: 1.5e9 } } };
    const { values } = await props(
      ["request.path", "request.url_path", "request.query", "request.host", "request.method", "request.scheme",
        "request.headers.x-multi", "source.address", "source.port", "metadata", "request.nope", "upstream.address"],
      [["x-multi", "1"], ["x-multi", "2"]],
      { metadata, source: "10.0.0.7:43210" },
    );
    expect(values).toEqual({
      "request.path": hex("/a/b?c=d"),
      "request.url_path": hex("/a/b"),
      "request.query": hex("c=d"),
      "request.host": hex("api.example.com"),
      "request.method": hex("GET"),
      "request.scheme": hex("https"),
      "request.headers.x-multi": hex("1,2"),
      "source.address": hex("10.0.0.7:43210"),
      "source.port": int64(43210),
      metadata: hex(encodeMetadata(metadata)),
      "request.nope": "1",
      "upstream.address": "1",
    });
  });

  it("returns stream filter state written with proxy_set_property", async () => {
    const { values } = await props(["my_key"], [["x-set-property", "stored"]]);
    expect(values.my_key).toBe(hex("stored"));
  });
});
