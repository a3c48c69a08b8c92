// The harness against the proxy-wasm module (build/authrep.wasm in tools/host), field by field:
// configuration verdict and messages, the local reply or the exact authrep call, and what the
// backend's answer turns into.
import { expect } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import type { CallAnswer, LogLine, RequestResult } from "../../tools/host/types";
import type { HarnessDecision, HarnessDocument, HarnessResult } from "../../tools/wasi/harness";
import { BACKEND_CLUSTER } from "../support/configs";
import { WASM } from "../support/module";

export class ModuleUnderHost {
  private answer: CallAnswer = { status: 200 };
  private constructor(private host: ProxyWasmHost) {}

  static async create(): Promise<ModuleUnderHost> {
    let self: ModuleUnderHost | undefined;
    const host = await ProxyWasmHost.create({ wasm: WASM, clusters: { [BACKEND_CLUSTER]: () => self!.answer }, hangTimeoutMs: 2000 });
    self = new ModuleUnderHost(host);
    return self;
  }

  close(): Promise<void> {
    return this.host.close();
  }

  /** runs `doc` through the module and expects what the harness said about it */
  async expectSame(doc: HarnessDocument, harness: HarnessResult): Promise<void> {
    const text = typeof doc.config === "string" ? doc.config : JSON.stringify(doc.config);
    const configured = await this.host.configure(text);
    expect(configured.accepted).toBe(harness.configured);
    expect(messages(configured.logs, "warn", "configuration: ")).toEqual(harness.warnings);
    if (!harness.configured) {
      expect(messages(configured.logs, "error", "configuration rejected: ")).toEqual([harness.error]);
      return;
    }
    if (!doc.request || !harness.decision) return;
    const status = doc.answer?.status;
    this.answer = status === null ? "reset" : { status: Number(status ?? "200"), headers: doc.answer?.rejection_reason ? [["3scale-rejection-reason", doc.answer.rejection_reason]] : [] };
    const r = await this.host.request({ headers: doc.request.headers, metadata: doc.request.metadata as Record<string, Record<string, unknown>> | undefined });
    const decision = harness.decision;
    if (decision.outcome !== "authrep") {
      expect(r.httpCalls).toEqual([]);
      expectFinal(r, decision);
      return;
    }
    expect(r.httpCalls).toHaveLength(1);
    const call = r.httpCalls[0];
    const expected = decision.authrep!;
    expect([call.cluster, call.timeoutMs]).toEqual([expected.cluster, expected.timeout_ms]);
    // Envoy's header maps lower-case names
    expect(call.headers.map(([n, v]) => [n, String(v)])).toEqual(expected.headers.map(([n, v]) => [n.toLowerCase(), v]));
    if (harness.answer_decision) expectFinal(r, harness.answer_decision);
  }
}

/** what the client saw: the local reply, or the request going upstream with the added headers */
function expectFinal(r: RequestResult, d: HarnessDecision): void {
  if (d.outcome === "reply") {
    expect([r.outcome, r.status, r.body, r.details]).toEqual(["local_reply", d.status, d.body, d.details]);
    return;
  }
  expect(r.outcome).toBe("continue");
  const sent = r.requestHeaders.map(([n, v]) => [n, String(v)]);
  for (const pair of d.upstream_headers ?? []) expect(sent).toContainEqual(pair);
}

/** the canary's lines: every worker repeats them */
function messages(logs: LogLine[], level: string, prefix: string): string[] {
  return logs.filter((l) => l.instance === "canary" && l.level === level && l.message.startsWith(prefix)).map((l) => l.message.slice(prefix.length));
}
