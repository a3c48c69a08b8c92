// `try CONFIG …`: one request through the real module, with the module's trace of its decision.
import { parseArgs, single } from "./args";
import { viewConfig } from "./config-view";
import { loadConfig } from "./load-config";
import { Masker } from "./mask";
import { configure, DEFAULT_WASM, loadModule } from "./module";
import { traceRequest } from "./module-trace";
import { backend, requestSpec } from "./request-args";
import { LEGEND, renderTrace } from "./trace";

export const TRY_HELP = `usage: authrep-wasm try CONFIG [--method GET] [--path '/p?q'] [--authority HOST]
                         [--header 'name: value']… [--metadata JSON]
                         [--backend URL | --answer STATUS|reset|timeout|refused [--rejection-reason R]]
                         [--show-credentials] [--wasm FILE] [--plugin NAME]

Dry run of one request through the real module in the in-process host: the service selected,
each lookup source with its stack after every operation, the credentials, the mapping rules
matched, the exact authrep request, the backend answer and the decision (local reply or
"continues upstream"). The steps come from the module's own trace of its decision, recorded by
the WASI harness build (build/authrep-harness.wasm, built on first use, ~30 s). Credentials are
masked unless --show-credentials.

  --method M           request method (default GET)
  --path P             request path and query (default /)
  --authority HOST     request authority (default: the first non-glob authority configured)
  --header 'n: v'      a request header; repeat for several (a pseudo header replaces the default)
  --metadata JSON      Envoy dynamic metadata: {"<filter namespace>": {…struct…}}
  --backend URL        send the authrep call to this backend (e.g. the simulator)
  --answer A           the host answers the authrep call itself: a status (default 200), or
                       reset / timeout / refused (Envoy's local 503/504 answers)
  --rejection-reason R 3scale-rejection-reason header of the answer (e.g. limits_exceeded)
  --show-credentials   print credential values in full
  --wasm FILE, --plugin NAME   as for check

Exit status: 0 the request was decided (whatever the decision), 1 the configuration is
rejected, 2 usage error or unreadable file.
`;

const OPTIONS = {
  method: { kind: "value" }, path: { kind: "value" }, authority: { kind: "value" }, header: { kind: "list" },
  metadata: { kind: "value" }, backend: { kind: "value" }, answer: { kind: "value" }, "rejection-reason": { kind: "value" },
  "show-credentials": { kind: "flag" }, wasm: { kind: "value" }, plugin: { kind: "value" },
} as const;

export async function tryRequest(argv: string[], out: (line: string) => void, note: (line: string) => void = () => {}): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const config = loadConfig(single(args, "CONFIG file"), args.values.get("plugin"));
  const wasm = args.values.get("wasm") ?? DEFAULT_WASM;
  const answering = backend(args);
  // the cluster name is only known once the text is parsed, so parse it before the verdict
  const view = safeView(config.text);
  const host = await loadModule(wasm, view?.backendCluster ? { [view.backendCluster]: answering.cluster } : {});
  try {
    const verdict = await configure(host, config.text);
    if (!verdict.accepted) {
      out(`configuration rejected: ${verdict.error}`);
      return 1;
    }
    if (!view) throw new Error("the module accepted a configuration that is not JSON");
    const request = requestSpec(args, view);
    const result = await host.request(request);
    const traced = await traceRequest(config.text, request, note);
    out(`try: ${config.origin}`);
    out(LEGEND);
    renderTrace({
      view, request, result, traced, backend: answering.description,
      masker: new Masker(args.flags.has("show-credentials"), view),
    }).forEach(out);
    return 0;
  } finally {
    await host.close();
  }
}

/** undefined for text that is not JSON: the module rejects it and says why */
function safeView(text: string) {
  try {
    return viewConfig(text);
  } catch {
    return undefined;
  }
}
