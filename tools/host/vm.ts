// One VM instance (an Envoy worker's clone of the module): its own memory, contexts, metric ids
// and the rules for calling into it — current/effective context saved and reset per call,
// §2.4 restricted phases, actions deferred until the outermost call returns, and trap = failed
// for good (the instance never runs module code again).
import { ALLOWED_DURING_ALLOCATION, ALLOWED_DURING_INIT, Status } from "./abi";
import type { ManualClock } from "./clock";
import { type Context, type Decision, RootContext, StreamContext } from "./contexts";
import { HeaderMap } from "./headers";
import { buildImports } from "./imports";
import { ModuleMemory } from "./memory";
import { InstanceMetrics, type MetricStore } from "./metrics";
import type { SharedState } from "./shared";
import type { FailurePolicy, HttpCallRecord, RequestSpec } from "./types";
import type { ModuleInfo } from "./validate";

/** what every instance of one plugin shares: identity, clock, stores, outbound calls */
export interface VmHost {
  readonly pluginName: string;
  readonly rootId: string;
  readonly vmId: string;
  readonly vmConfig: Uint8Array;
  /** "KEY=value" entries for WASI environ */
  readonly environment: string[];
  readonly logLevel: number;
  readonly failurePolicy: FailurePolicy;
  readonly clock: ManualClock;
  readonly shared: SharedState;
  readonly metrics: MetricStore;
  hasCluster(name: string): boolean;
  /** sends the call; the answer comes back through VmInstance.deliverCallResponse */
  dispatch(vm: VmInstance, call: HttpCallRecord): void;
  log(vm: VmInstance, level: number, message: string): void;
  /** runs a task from the event loop later, tracked by host.idle() */
  defer(task: () => void): void;
}

type Phase = "init" | "allocation" | "callback";

const LOG_CRITICAL = 5;

const isTrap = (e: unknown) => e instanceof WebAssembly.RuntimeError || e instanceof RangeError;

export class VmInstance {
  failed = false;
  /** Envoy-style "Function: <name> failed: <trap>" of the first trap */
  error?: Error;
  /** thrown away (canary) or closed: no more calls, answers are dropped */
  dead = false;
  readonly memory: ModuleMemory;
  readonly metrics: InstanceMetrics;
  root?: RootContext;
  current?: Context;
  effective?: Context;
  private phase: Phase = "callback";
  private readonly exports: WebAssembly.Exports;
  private readonly contexts = new Map<number, Context>();
  private lastContextId = 0;
  private depth = 0;
  private afterCall: (() => void)[] = [];

  constructor(
    module: WebAssembly.Module,
    private readonly info: ModuleInfo,
    readonly host: VmHost,
    readonly label: string,
  ) {
    this.metrics = new InstanceMetrics(host.metrics);
    this.exports = new WebAssembly.Instance(module, buildImports(this)).exports;
    this.memory = new ModuleMemory(this.exports.memory as WebAssembly.Memory, (size) => this.allocate(size));
  }

  has(name: string): boolean {
    return this.info.functions.has(name);
  }

  /** the context imports act on */
  active(): Context {
    const context = this.effective ?? this.current;
    if (!context) throw new Error("host bug: import called outside any context");
    return context;
  }

  context(id: number): Context | undefined {
    return this.contexts.get(id);
  }

  /** §2.4: traps (like Envoy's restricted_callback) on a non-allowed import in init/allocation */
  checkAllowed(importKey: string): void {
    const allowed =
      this.phase === "init" ? ALLOWED_DURING_INIT : this.phase === "allocation" ? ALLOWED_DURING_ALLOCATION : undefined;
    if (allowed && !allowed.has(importKey)) throw new WebAssembly.RuntimeError("restricted_callback");
  }

  /** calls an export on `context`; undefined if not exported, dead or it trapped */
  call(name: string, context: Context | undefined, ...args: number[]): number | undefined {
    return this.invoke(name, context, args, "callback");
  }

  /** runs after the outermost module call returns, like Envoy's deferred continue/local reply */
  defer(action: () => void): void {
    this.afterCall.push(action);
  }

  private invoke(name: string, context: Context | undefined, args: number[], phase: Phase): number | undefined {
    const fn = this.exports[name] as ((...a: number[]) => number | undefined) | undefined;
    if (!fn || this.failed || this.dead) return undefined;
    const saved = [this.current, this.effective, this.phase] as const;
    [this.current, this.effective, this.phase] = [context, undefined, phase];
    this.depth++;
    try {
      const result = fn(...args);
      return result === undefined ? 0 : result >>> 0;
    } catch (e) {
      if (!isTrap(e)) throw e;
      this.fail(name, e as Error);
      return undefined;
    } finally {
      [this.current, this.effective, this.phase] = saved;
      if (--this.depth === 0) this.runDeferred();
    }
  }

  private runDeferred(): void {
    while (this.afterCall.length) this.afterCall.shift()!();
  }

  private allocate(size: number): number {
    return this.invoke(this.info.allocator, this.current, [size], "allocation") ?? 0;
  }

  private fail(fn: string, trap: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.error = new Error(`Function: ${fn} failed: ${trap.message}`, { cause: trap });
    this.host.log(this, LOG_CRITICAL, this.error.message);
    this.stopTimersAndCalls();
    // After the failing call's own deferred actions, like Envoy's fail check after the call.
    this.defer(() => this.liveStreams().forEach((s) => s.decide(this.failureDecision())));
  }

  /** what the failure policy does with a request on this (failed) instance */
  failureDecision(): Decision {
    return this.host.failurePolicy === "FAIL_OPEN" ? { outcome: "continue", failOpen: true } : { outcome: "failed" };
  }

  private stopTimersAndCalls(): void {
    if (!this.root) return;
    this.host.clock.cancel(this.root);
    for (const call of this.root.pendingCalls.values()) call.state = "cancelled";
    this.root.pendingCalls.clear();
  }

  private liveStreams(): StreamContext[] {
    return [...this.contexts.values()].filter((c): c is StreamContext => c instanceof StreamContext);
  }

  /** `_initialize` (then `main(0,0)` if exported) or `_start`, with §2.4 restrictions */
  initialize(): boolean {
    if (this.has("_initialize")) {
      this.invoke("_initialize", undefined, [], "init");
      this.invoke("main", undefined, [0, 0], "init");
    } else this.invoke("_start", undefined, [], "init");
    return !this.failed;
  }

  /** on_context_create(root, 0) → on_vm_start; false = Envoy's "Failed to start" */
  startRoot(): boolean {
    const root = (this.root = new RootContext(++this.lastContextId, this));
    this.contexts.set(root.id, root);
    this.call("proxy_on_context_create", root, root.id, 0);
    const started = this.call("proxy_on_vm_start", root, root.id, this.host.vmConfig.length);
    return !this.failed && (!this.has("proxy_on_vm_start") || started !== 0);
  }

  /** on_configure with the configuration readable (buffer 7) only meanwhile */
  configure(configuration: Uint8Array): boolean {
    const root = this.root!;
    root.configuration = configuration;
    const accepted = this.call("proxy_on_configure", root, root.id, configuration.length);
    root.configuration = undefined;
    return !this.failed && (!this.has("proxy_on_configure") || accepted !== 0);
  }

  /** on_tick now, as if its timer fired: a test runs another worker's tick inside a hook */
  tick(): void {
    if (this.root) this.call("proxy_on_tick", this.root, this.root.id);
  }

  createStream(spec: RequestSpec): StreamContext {
    const stream = new StreamContext(
      ++this.lastContextId,
      this,
      this.root!,
      HeaderMap.of(spec.headers),
      spec,
      this.host.clock.realtimeNs(),
    );
    this.contexts.set(stream.id, stream);
    if (!spec.unknownToModule) this.call("proxy_on_context_create", stream, stream.id, this.root!.id);
    return stream;
  }

  /** on_log → on_done → on_delete; afterwards the id is dead (set_effective_context fails) */
  finishStream(stream: StreamContext): void {
    stream.inLog = true;
    this.call("proxy_on_log", stream, stream.id);
    stream.inLog = false;
    this.call("proxy_on_done", stream, stream.id);
    this.call("proxy_on_delete", stream, stream.id);
    this.contexts.delete(stream.id);
  }

  /** delivers an http-call answer to the root context that made the call */
  deliverCallResponse(call: HttpCallRecord, answer: RootContext["callResponse"] | "reset"): void {
    const root = this.root!;
    if (!root.pendingCalls.delete(call.callId)) return; // cancelled meanwhile
    if (answer === "reset") {
      [root.statusCode, root.statusMessage] = [Status.BrokenConnection, "reset"];
      this.call("proxy_on_http_call_response", root, root.id, call.callId, 0, 0, 0);
      root.statusMessage = "";
      return;
    }
    root.callResponse = answer;
    this.call(
      "proxy_on_http_call_response",
      root,
      root.id,
      call.callId,
      answer!.headers.size,
      answer!.body.length,
      answer!.trailers.size,
    );
    root.callResponse = undefined;
  }

  /**
   * The plugin is removed (config push, drained listener): root on_done, then on_delete — or,
   * when on_done answers false, not before the module calls proxy_done; meanwhile ticks fire
   * and call answers are delivered, as Envoy does for a root context pending done.
   */
  removePlugin(): void {
    const root = this.root;
    if (!root || this.failed || this.dead) return;
    const done = this.call("proxy_on_done", root, root.id);
    if (done === 0 && !this.failed && !this.dead) root.pendingDone = true;
    else this.deleteRoot();
  }

  /** proxy_done: NotFound unless the root is pending done; the delete runs after the current call */
  done(): Status {
    const root = this.active().root;
    if (!root.pendingDone) return Status.NotFound;
    root.pendingDone = false;
    this.defer(() => this.deleteRoot());
    return Status.Ok;
  }

  private deleteRoot(): void {
    if (this.root && !this.failed && !this.dead) this.call("proxy_on_delete", this.root, this.root.id);
    this.kill();
  }

  /** root on_done → on_delete (Envoy's shutdown), then the instance is dead */
  shutdown(): void {
    if (this.root && !this.failed && !this.dead) {
      this.call("proxy_on_done", this.root, this.root.id);
      this.call("proxy_on_delete", this.root, this.root.id);
    }
    this.kill();
  }

  kill(): void {
    this.stopTimersAndCalls();
    this.dead = true;
  }
}
