// `check CONFIG`: the module's on_configure verdict, with a summary read from the text.
import { parseArgs, single } from "./args";
import { CREDENTIAL_KINDS, describeSource, viewConfig } from "./config-view";
import { loadConfig } from "./load-config";
import { configure, DEFAULT_WASM, loadModule } from "./module";

export const CHECK_HELP = `usage: authrep-wasm check CONFIG [--wasm FILE] [--plugin NAME]

Runs on_configure of the real module (build/authrep.wasm) on CONFIG and prints "ok" with a
summary, or the module's error naming the field. Exit status: 0 accepted, 1 rejected,
2 usage error or unreadable file.

  CONFIG          a JSON file (passed as is), a YAML file holding a WasmPlugin (its
                  spec.pluginConfig is serialised as Istio does), or a standalone envoy.yaml
                  (its envoy.filters.http.wasm configuration; \${NAME} placeholders read as 0)
  --plugin NAME   the WasmPlugin or wasm filter (config.name) when the file holds several
  --wasm FILE     the module to load (default build/authrep.wasm)
`;

export async function check(argv: string[], out: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, { wasm: { kind: "value" }, plugin: { kind: "value" } });
  const config = loadConfig(single(args, "CONFIG file"), args.values.get("plugin"));
  const host = await loadModule(args.values.get("wasm") ?? DEFAULT_WASM);
  try {
    const verdict = await configure(host, config.text);
    if (!verdict.accepted) {
      out(`rejected: ${config.origin}`);
      out(`configuration rejected: ${verdict.error}`);
      return 1;
    }
    out(`ok: ${config.origin}`);
    summarize(config.text).forEach(out);
    out(verdict.warnings.length === 0 ? "warnings: none" : "warnings:");
    verdict.warnings.forEach((w) => out(`  ${w}`));
    return 0;
  } finally {
    await host.close();
  }
}

function summarize(text: string): string[] {
  const view = viewConfig(text);
  const lines = [`backend cluster: ${view.backendCluster ?? "(none)"}`, `services: ${view.services.length}`];
  for (const s of view.services) {
    lines.push(`  service ${s.id}`);
    lines.push(`    authorities: ${s.authorities.join(", ") || "(none: matches no request)"}`);
    lines.push(`    mapping rules: ${s.rules.length}`);
    for (const kind of CREDENTIAL_KINDS) {
      const sources = s.credentials[kind];
      if (sources) lines.push(`    ${kind} sources (${sources.length}): ${sources.map(describeSource).join("; ") || "(none)"}`);
    }
  }
  return lines;
}
