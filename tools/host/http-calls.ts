// The cluster registry behind proxy_http_call. A cluster is answered by a test handler or by a
// real HTTP(S) server; either way the answer reaches the module later, from the event loop.
// Upstream failures look the way Envoy's async client reports them (§12): connect failure and
// timeout become local 503/504 responses with headers, a reset after the response started is
// 0 headers (+ proxy_get_status 11 "reset").
import http from "node:http";
import https from "node:https";
import { binary, toBytes, toValue } from "./bytes";
import type { CallResponse } from "./contexts";
import { HeaderMap } from "./headers";
import type { CallAnswer, CallHandler, HttpCallRecord } from "./types";
import type { VmInstance } from "./vm";

type Answer = Exclude<CallAnswer, string>;

/** the local reply Envoy's router generates inside the async client (body text approximate) */
const localReply = (status: number, body: string): Answer => ({
  status,
  headers: [
    ["content-length", String(Buffer.byteLength(body))],
    ["content-type", "text/plain"],
  ],
  body,
});

const LOCAL_REPLIES = {
  refused: localReply(
    503,
    "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused",
  ),
  timeout: localReply(504, "upstream request timeout"),
};

function toResponse(answer: Answer): CallResponse {
  const headers = HeaderMap.of(answer.headers ?? []);
  if (!headers.get(":status")) headers.add(":status", String(answer.status ?? 200));
  return { headers, body: toBytes(answer.body ?? ""), trailers: HeaderMap.of(answer.trailers ?? []) };
}

export class HttpCalls {
  /** every call ever made, in order */
  readonly all: HttpCallRecord[] = [];
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(
    private readonly clusters: Record<string, string | CallHandler>,
    /** registers in-flight work so host.idle() can wait for it */
    private readonly track: (work: Promise<void>) => void,
  ) {}

  has(cluster: string): boolean {
    return Object.hasOwn(this.clusters, cluster);
  }

  dispatch(vm: VmInstance, call: HttpCallRecord): void {
    this.all.push(call);
    this.track(this.complete(vm, call));
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async complete(vm: VmInstance, call: HttpCallRecord): Promise<void> {
    await new Promise(setImmediate); // never answer inside the module's proxy_http_call
    if (call.state !== "pending") return; // its instance died first (e.g. the canary)
    const answer = await this.answer(call);
    if (call.state !== "pending") return;
    if (answer === "reset") {
      call.state = "reset";
      vm.deliverCallResponse(call, "reset");
      return;
    }
    const response = toResponse(typeof answer === "string" ? LOCAL_REPLIES[answer] : answer);
    call.state = "answered";
    call.response = {
      headers: response.headers.toHeaders(),
      body: toValue(response.body),
      trailers: response.trailers.toHeaders(),
    };
    vm.deliverCallResponse(call, response);
  }

  private async answer(call: HttpCallRecord): Promise<CallAnswer> {
    const target = this.clusters[call.cluster];
    if (typeof target === "string") return this.request(target, call);
    try {
      return await target(call);
    } catch (e) {
      call.error = String(e);
      return "reset";
    }
  }

  /** performs the call over the network; :authority becomes Host, :scheme is only a header */
  private request(base: string, call: HttpCallRecord): Promise<CallAnswer> {
    const url = new URL(base);
    const pseudo = new Map(call.headers.filter(([n]) => n.startsWith(":")).map(([n, v]) => [n, binary(v)]));
    const headers = call.headers.filter(([n]) => !n.startsWith(":")).flatMap(([n, v]) => [n, binary(v)]);
    const body = toBytes(call.body);
    if (body.length) headers.push("content-length", String(body.length));
    const secure = url.protocol === "https:";
    return new Promise((resolve) => {
      let responded = false;
      const req = (secure ? https : http).request({
        host: url.hostname,
        port: url.port,
        method: pseudo.get(":method"),
        path: pseudo.get(":path"),
        headers: ["host", pseudo.get(":authority")!, ...headers],
        setHost: false,
        agent: secure ? this.agents.https : this.agents.http,
        rejectUnauthorized: false,
      });
      const timer = call.timeoutMs > 0 ? setTimeout(() => (resolve("timeout"), req.destroy()), call.timeoutMs) : undefined;
      req.on("error", () => (clearTimeout(timer), resolve(responded ? "reset" : "refused")));
      req.on("response", (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", () => resolve("reset"));
        res.on("end", () => {
          clearTimeout(timer);
          const pairs = (raw: string[]) =>
            raw.flatMap((v, i) => (i % 2 ? [] : [[v.toLowerCase(), Buffer.from(raw[i + 1], "latin1")] as [string, Uint8Array]]));
          resolve({
            status: res.statusCode,
            headers: pairs(res.rawHeaders),
            body: Buffer.concat(chunks),
            trailers: pairs(res.rawTrailers),
          });
        });
      });
      req.end(body);
    });
  }
}
