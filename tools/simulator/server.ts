// The simulator process: an HTTP server on 127.0.0.1 serving the Service Management API, the
// proxy-config endpoint and the control API, with a request log and fault injection.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { controlAnswer } from "./control";
import { ApiError } from "./errors";
import { type Fault, faultyAnswer, Faults } from "./faults";
import { type Period } from "./periods";
import { CONFIG_PATH, promoteProxyConfig, type ProxyConfigPatch, proxyConfigAnswer, replaceProxyConfig } from "./proxy-config";
import { parseQuery, toPlain } from "./query";
import type { ReportError } from "./report";
import { type HttpAnswer, type IncomingCall, serviceManagementAnswer, XML_TYPE } from "./routes";
import { applySeed, readSeedFile, type Seed } from "./seed";
import { type Environment, SimState } from "./state";

export interface SimulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A seed, or the path of a seed JSON file. */
  seed?: Seed | string;
  /** Freezes the clock at this time (see `setNow`); default: real time. */
  now?: number | string | Date;
  /** How many of the most recent requests the log keeps (default 10 000). */
  logLimit?: number;
  /** Serve the JSON control API under /__sim/ (default true). */
  control?: boolean;
}

export interface LoggedRequest {
  seq: number;
  /** Simulator clock, ms since epoch. */
  time: number;
  method: string;
  /** The request target exactly as received, query included. */
  path: string;
  pathname: string;
  query: string;
  /** Decoded query (and form body) parameters; undefined when they do not parse. */
  params: Record<string, unknown> | undefined;
  headers: http.IncomingHttpHeaders;
  /** Header names and values in received order and case. */
  rawHeaders: string[];
  body: string;
  /** Status answered, once answered (absent for a dropped connection). */
  status?: number;
  /** The injected fault that applied, if any. */
  fault?: Fault;
}

type Waiter = { predicate: (r: LoggedRequest) => boolean; resolve: (r: LoggedRequest) => void };

export class Simulator {
  readonly state: SimState;
  readonly faults = new Faults();
  /** Per-transaction problems of accepted reports (A.12), which the API never returns. */
  readonly reportErrors: ReportError[] = [];
  url = "";
  port = 0;
  private log: LoggedRequest[] = [];
  private seq = 0;
  private fixedNow: number | undefined;
  private waiters: Waiter[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.state = new SimState(() => this.fixedNow ?? Date.now());
    if (options.now !== undefined) this.setNow(options.now);
    // Envoy passes requests of up to its max_request_headers_kb (8 MiB at most), node's default is 16 KiB
    this.server = http.createServer({ maxHeaderSize: 8 * 1024 * 1024 }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error("simulator: internal error", error);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("internal simulator error");
      });
    });
    // Envoy keeps upstream connections open far longer than Node's 5 s default; closing them
    // first races with requests in flight and shows up as spurious 503s.
    this.server.keepAliveTimeout = 300_000;
    this.server.headersTimeout = 301_000;
  }

  /** Starts serving; after `pause`, on the same port as before. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port || (this.options.port ?? 0), this.options.host ?? "127.0.0.1", () => {
        this.server.off("error", reject); // listen may be called again (resume)
        resolve();
      });
    });
    const { address, port } = this.server.address() as AddressInfo;
    this.port = port;
    this.url = `http://${address}:${port}`;
    return this;
  }

  /** Loads services, applications, … and promotes their proxy configs. */
  load(seed: Seed | string): void {
    applySeed(this.state, typeof seed === "string" ? readSeedFile(seed) : seed, (id, env) => this.promoteProxyConfig(id, env));
  }

  get requests(): readonly LoggedRequest[] {
    return this.log;
  }

  resetLog(): void {
    this.log = [];
  }

  /** Resolves with the first logged request (past or future) matching the predicate. */
  waitForRequest(predicate: (r: LoggedRequest) => boolean, timeoutMs = 10_000): Promise<LoggedRequest> {
    const found = this.log.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { predicate, resolve: (r) => { clearTimeout(timer); resolve(r); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** An application's counter (looked up by app id or user key) for the period instance containing now. */
  usage(serviceId: string, appIdOrUserKey: string, metric: string, period: Period = "eternity"): number {
    const app = this.state.findApplication(serviceId, appIdOrUserKey);
    if (!app) throw new Error(`no application ${appIdOrUserKey} in service ${serviceId}`);
    return this.state.counter(app, metric, period);
  }

  /** All-time recorded usage of a metric over all applications (of one service). */
  totalUsage(metric: string, serviceId?: string): number {
    return this.state.totalUsage(metric, serviceId);
  }

  /** Freezes the clock at `time`; null returns to real time. */
  setNow(time: number | string | Date | null): void {
    this.fixedNow = time === null ? undefined : new Date(time).getTime();
    if (Number.isNaN(this.fixedNow)) throw new Error(`invalid time ${String(time)}`);
  }

  /** Moves the (then frozen) clock forward. */
  advance(ms: number): void {
    this.fixedNow = this.state.now() + ms;
  }

  inject(fault: Fault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  promoteProxyConfig(serviceId: string, env: Environment = "production", patch?: ProxyConfigPatch): unknown {
    return promoteProxyConfig(this.state, serviceId, env, this.url, patch);
  }

  replaceProxyConfig(serviceId: string, env: Environment, document: unknown): void {
    replaceProxyConfig(this.state, serviceId, env, document);
  }

  /**
   * Stops serving, as a crashed backend would: open connections are closed and new ones refused.
   * State, request log and faults stay; `resume` serves again on the same port.
   */
  async pause(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  resume(): Promise<this> {
    return this.listen();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    const q = path.indexOf("?");
    const call: IncomingCall = {
      method: req.method ?? "GET",
      pathname: q < 0 ? path : path.slice(0, q),
      query: q < 0 ? "" : path.slice(q + 1),
      headers: req.headers,
      body: await readBody(req),
    };
    if (this.options.control !== false && call.pathname.startsWith("/__sim/")) {
      return send(res, controlAnswer(this, call));
    }
    const entry = this.logRequest(req, path, call);
    const isConfig = call.method === "GET" && CONFIG_PATH.test(call.pathname);
    const fault = this.faults.take(isConfig ? "config" : "backend");
    entry.fault = fault;
    if (fault?.delayMs) await this.sleep(fault.delayMs);
    if (fault?.answer === "close") {
      req.socket.destroy();
      return;
    }
    const answer = fault?.answer && fault.answer !== "normal"
      ? { ...faultyAnswer(fault), headers: { "Content-Type": isConfig ? "application/json" : XML_TYPE } }
      : isConfig ? this.configAnswer(call) : serviceManagementAnswer(this.state, call, (e) => this.reportErrors.push(...e));
    entry.status = answer.status;
    send(res, answer);
  }

  private configAnswer(call: IncomingCall): HttpAnswer {
    const [, serviceId = "", env = ""] = CONFIG_PATH.exec(call.pathname)!.map(safeDecode);
    const token = new URLSearchParams(call.query).get("access_token") ?? undefined;
    const { status, body } = proxyConfigAnswer(this.state, serviceId, env, token);
    return { status, headers: { "Content-Type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
  }

  private logRequest(req: http.IncomingMessage, path: string, call: IncomingCall): LoggedRequest {
    const entry: LoggedRequest = {
      seq: ++this.seq, time: this.state.now(), method: call.method, path, pathname: call.pathname, query: call.query,
      params: decodedParams(call), headers: req.headers, rawHeaders: req.rawHeaders, body: call.body,
    };
    this.log.push(entry);
    if (this.log.length > (this.options.logLimit ?? 10_000)) this.log.shift();
    const ready = this.waiters.filter((w) => w.predicate(entry));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve(entry);
    return entry;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** Starts a simulator on 127.0.0.1 (port 0 unless given) and loads the seed, if any. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await new Simulator(options).listen();
  if (options.seed !== undefined) sim.load(options.seed);
  return sim;
}

function send(res: http.ServerResponse, answer: HttpAnswer): void {
  const body = typeof answer.body === "string" ? Buffer.from(answer.body, "utf8") : answer.body;
  res.writeHead(answer.status, { ...answer.headers, "Content-Length": String(body.length) });
  res.end(body);
}

/** Bodies are kept as latin1 strings so every byte survives for the query parser. */
async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("latin1");
}

function decodedParams(call: IncomingCall): Record<string, unknown> | undefined {
  const type = String(call.headers["content-type"] ?? "");
  const isForm = call.method === "POST" && (type === "" || type.startsWith("application/x-www-form-urlencoded"));
  try {
    return toPlain(new Map([...parseQuery(call.query), ...(isForm ? parseQuery(call.body) : [])])) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ApiError) return undefined; // the answer says why; the log keeps the raw path and body
    throw error;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
