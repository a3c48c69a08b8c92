// One HTTP request through the filter on one instance, in Envoy's order: lazy context creation,
// on_request_headers (Continue → upstream; Pause → wait for continue/local reply from any later
// callback; a local reply forces a stop), the response through on_response_headers, then
// on_log → on_done → on_delete. A trap applies the failure policy, also to paused requests.
import { toBytes, toText } from "./bytes";
import type { Decision } from "./contexts";
import { HeaderMap } from "./headers";
import type { HttpCallRecord, LogLine, RequestResult, RequestSpec } from "./types";
import type { VmInstance } from "./vm";

const CONTINUE = 0;
const CONTINUE_AND_END_STREAM = 2;

interface StreamJournal {
  logs: LogLine[];
  calls: HttpCallRecord[];
}

interface Response {
  headers: HeaderMap;
  body: Uint8Array;
  details: string;
}

export async function runStream(
  vm: VmInstance,
  spec: RequestSpec,
  worker: number,
  hangTimeoutMs: number,
  journal: StreamJournal,
): Promise<RequestResult> {
  const [logsFrom, callsFrom] = [journal.logs.length, journal.calls.length];
  const stream = vm.createStream(spec);
  if (vm.failed) stream.decide(vm.failureDecision());
  else {
    const action = vm.call("proxy_on_request_headers", stream, stream.id, stream.request.size, spec.endOfStream === false ? 0 : 1);
    if (action === undefined || action === CONTINUE || action === CONTINUE_AND_END_STREAM) {
      stream.decide({ outcome: "continue" }); // no-op if a trap or local reply decided first
    }
  }
  const timer = setTimeout(() => stream.decide({ outcome: "hung" }), hangTimeoutMs);
  const decision = await stream.decided;
  clearTimeout(timer);
  const requestHeaders = stream.request.toHeaders();
  let outcome = decision.outcome;
  let response = responseFor(decision, spec);
  if (response && outcome !== "failed") {
    stream.response = response.headers;
    vm.call("proxy_on_response_headers", stream, stream.id, response.headers.size, response.body.length ? 0 : 1);
    if (vm.failed && vm.failureDecision().outcome === "failed") {
      outcome = "failed"; // Envoy's fail check after the callback sends the 503
      response = responseFor({ outcome }, spec);
    }
  }
  vm.finishStream(stream);
  return {
    outcome,
    ...(response && {
      status: Number(toText(response.headers.get(":status")!)),
      body: toText(response.body),
      details: response.details,
      responseHeaders: response.headers.toHeaders(),
    }),
    ...(decision.outcome === "local_reply" && {
      replyHeaders: new HeaderMap(decision.headers).toHeaders(),
      grpcStatus: decision.grpcStatus,
    }),
    ...(decision.outcome === "continue" && decision.failOpen && { failOpen: true }),
    requestHeaders,
    worker,
    contextId: stream.id,
    httpCalls: journal.calls.slice(callsFrom).filter((c) => c.instance === vm.label),
    logs: journal.logs.slice(logsFrom).filter((l) => l.instance === vm.label),
  };
}

/** what reaches the client; reset and hung streams get no response */
function responseFor(decision: Decision | { outcome: "failed" }, spec: RequestSpec): Response | undefined {
  if (decision.outcome === "continue") {
    const upstream = spec.upstream ?? {};
    const headers = HeaderMap.of(upstream.headers ?? []);
    if (!headers.get(":status")) headers.add(":status", String(upstream.status ?? 200));
    return { headers, body: toBytes(upstream.body ?? ""), details: "via_upstream" };
  }
  if (decision.outcome === "local_reply") return localReply(decision.status, decision.body, decision.details, decision.headers);
  if (decision.outcome === "failed") return localReply(503, new Uint8Array(), "wasm_fail_stream", []);
  return undefined;
}

/** Envoy's sendLocalReply: content-length always, content-type only with a body, then the module's headers */
function localReply(status: number, body: Uint8Array, details: string, extra: [Uint8Array, Uint8Array][]): Response {
  const headers = HeaderMap.of([
    [":status", String(status)],
    ["content-length", String(body.length)],
    ...(body.length ? [["content-type", "text/plain"] as [string, string]] : []),
  ]);
  for (const [name, value] of extra) headers.add(name, value);
  return { headers, body, details };
}
