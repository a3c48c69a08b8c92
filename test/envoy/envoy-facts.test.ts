// Pins down Envoy 1.40 behaviour that the filter and the in-process host rely on
// (tools/envoy/FACTS.md). An Envoy upgrade that changes any of it must fail here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvoyStartError } from "../../tools/envoy/envoy";
import type { FailurePolicy } from "../../tools/envoy/bootstrap";
import { act, envoyBin, PLUGIN, startFixtureEnvoy, type FixtureEnvoy } from "./support";

// Metadata{filter_metadata: {"envoy.filters.http.jwt_authn": Struct{payload: {azp: "app1"}}}}
// in protobuf wire format, as written by Envoy
const JWT_METADATA_HEX =
  "0a3e0a1c" + Buffer.from("envoy.filters.http.jwt_authn").toString("hex") +
  "121e0a1c0a07" + Buffer.from("payload").toString("hex") +
  "12112a0f0a0d0a03" + Buffer.from("azp").toString("hex") + "12061a04" + Buffer.from("app1").toString("hex");

const setJwtMetadata = {
  name: "envoy.filters.http.set_metadata",
  typed_config: {
    "@type": "type.googleapis.com/envoy.extensions.filters.http.set_metadata.v3.Config",
    metadata: [{ metadata_namespace: "envoy.filters.http.jwt_authn", value: { payload: { azp: "app1" } } }],
  },
};

const lines = (text: string, re: RegExp) => text.split("\n").filter((l) => re.test(l));

describe.skipIf(!envoyBin)("Envoy 1.40 facts: running plugin", () => {
  let f: FixtureEnvoy;
  beforeAll(async () => {
    f = await startFixtureEnvoy({ httpFilters: [setJwtMetadata] });
  });
  afterAll(() => f?.stop());

  it("(a) runs on_vm_start and on_configure concurrency + 2 times (main, canary, 2 workers)", async () => {
    const count = (cb: string) => lines(f.envoy.stderr(), new RegExp(`fixture: ${cb} `)).length;
    await expect.poll(() => count("on_configure")).toBe(4);
    expect(count("on_vm_start")).toBe(4);
    expect(count("on_configure")).toBe(4);
    expect(lines(f.envoy.stderr(), /fixture: on_configure root=1 config=continue$/)).toHaveLength(4);
  });

  it("(d) local reply: details in the access log with spaces as _, Envoy adds text/plain etc.", async () => {
    const r = await act(f.envoy, "reply 403 fixture denied", "/reply");
    expect(r.status).toBe(403);
    expect(r.body).toBe("fixture reply\n");
    expect(Object.fromEntries(r.headers)).toEqual({
      "content-length": "14",
      "content-type": "text/plain",
      date: expect.any(String),
      server: "envoy",
      "x-fixture": "reply",
    });
    await f.envoy.waitForLine("stdout", /\/reply$/);
    expect(f.envoy.accessLog().find((e) => e.path === "/reply")).toEqual({ code: 403, details: "fixture_denied", path: "/reply" });
  });

  it("(e) custom metrics are wasmcustom.<name> in /stats and <name> in Prometheus", async () => {
    for (let i = 0; i < 3; i++) expect((await act(f.envoy, "metric")).status).toBe(200);
    expect(await f.envoy.stats("fixture_requests")).toEqual({ "wasmcustom.fixture_requests": 3 });
    expect(await f.envoy.admin("/stats/prometheus")).toMatch(/^fixture_requests\{\} 3$/m);
    expect(await f.envoy.stats("^wasm\\.envoy\\.wasm\\.runtime\\.v8\\.active$")).toEqual({ "wasm.envoy.wasm.runtime.v8.active": 4 });
  });

  it("(f) proxy_log lines: `wasm log <name> <root_id> <vm_id>: msg` (root contexts omit the name)", async () => {
    await act(f.envoy, "log 1 hello debug");
    const { name, rootId, vmId } = PLUGIN;
    const line = await f.envoy.waitForLine("stderr", /hello debug/);
    expect(line).toMatch(new RegExp(`^\\[[\\d :.-]+\\]\\[\\d+\\]\\[debug\\]\\[wasm\\] \\[\\S+\\] wasm log ${name} ${rootId} ${vmId}: hello debug$`));
    expect(lines(f.envoy.stderr(), /fixture: on_vm_start/)[0]).toMatch(
      new RegExp(`\\[info\\]\\[wasm\\] \\[\\S+\\] wasm log ${rootId} ${vmId}: fixture: on_vm_start root=1$`),
    );
    await act(f.envoy, "log 3 hello warn");
    expect(await f.envoy.waitForLine("stderr", /hello warn/)).toMatch(/\]\[warning\]\[wasm\] /);
  });

  it("(g) property `metadata` is the protobuf-encoded envoy.config.core.v3.Metadata", async () => {
    const r = await act(f.envoy, "metadata");
    expect(r.echo?.headers["x-metadata-hex"]).toBe(JWT_METADATA_HEX);
  });
});

describe.skipIf(!envoyBin)("Envoy 1.40 facts: failures", () => {
  it("(g) `metadata` without dynamic metadata is OK with zero bytes", async () => {
    const f = await startFixtureEnvoy({ concurrency: 1 });
    try {
      expect((await act(f.envoy, "metadata")).echo?.headers["x-metadata-hex"]).toBe("");
    } finally {
      await f.stop();
    }
  });

  it.each<FailurePolicy>(["FAIL_CLOSED", "FAIL_OPEN", "FAIL_RELOAD"])(
    "(b) on_configure returning 0 at static bootstrap makes Envoy exit 1 (%s)",
    async (failurePolicy) => {
      const error = await startFixtureEnvoy({ configuration: "reject", failurePolicy }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvoyStartError);
      const { exitCode, stderr } = error as EnvoyStartError;
      expect(exitCode).toBe(1);
      expect(stderr).toContain("Wasm VM failed Failed to configure base Wasm plugin");
      expect(stderr).toContain(`Unable to create Wasm plugin ${PLUGIN.name}`);
      expect(lines(stderr, /fixture: on_configure /)).toHaveLength(1); // only the base VM ran
    },
  );

  it.each([
    ["FAIL_CLOSED", 503],
    ["FAIL_OPEN", 200],
  ] as const)("a trap answers 503 wasm_fail_stream; later requests with %s get %i", async (failurePolicy, later) => {
    const f = await startFixtureEnvoy({ failurePolicy, concurrency: 1 });
    try {
      const trapped = await act(f.envoy, "trap", "/trap");
      expect(trapped.status).toBe(503);
      expect(trapped.body).toBe("");
      expect((await act(f.envoy, "continue", "/later")).status).toBe(later);
      await f.envoy.waitForLine("stdout", /\/later$/);
      expect(f.envoy.accessLog()[0]).toEqual({ code: 503, details: "wasm_fail_stream", path: "/trap" });
      expect(f.envoy.stderr()).toContain("Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable");
    } finally {
      await f.stop();
    }
  });
});
