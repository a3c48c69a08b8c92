/**
 * In-process proxy-wasm (ABI 0.2.1) host that behaves like Envoy (docs/design.md §8).
 *
 *   const host = await ProxyWasmHost.create({ wasm: "build/authrep.wasm", concurrency: 2,
 *     clusters: { "outbound|443||su1.3scale.net": "http://127.0.0.1:1234" } });  // or (call) => answer
 *   const { accepted, error, logs } = await host.configure(jsonText);
 *   const r = await host.request({ headers: [[":authority", "api.example.com"], [":path", "/p"],
 *     [":method", "GET"], [":scheme", "https"]], metadata: { ns: { key: "v" } }, worker: 0 });
 *   r.outcome; r.status; r.body; r.requestHeaders; r.httpCalls; r.logs;
 *   host.calls; host.logs; host.metric("name"); host.sharedData.get("key"); host.advance(ms);
 *   await host.idle(); host.instances[0].failed; host.instances[0].error; await host.close();
 *   host.removePlugin();  // on_done on every worker; a root answering false lives until proxy_done
 *
 * create() validates the module like Envoy and throws WasmLoadError with Envoy's message.
 * configure() runs a throw-away canary (init → on_vm_start → on_configure), then creates the
 * `concurrency` worker instances (first time) or reconfigures them (later; a rejected
 * configuration leaves the previous one in place, like an xDS NACK). request() resolves once
 * the request is decided and its stream finished; "hung" after hangTimeoutMs of real time.
 * Time is virtual: advance(ms) fires due ticks; WASI clocks and get_current_time read it.
 * idle() waits until no http call, queue notification or other deferred work is in flight.
 *
 * Compare-and-swap conflicts happen only when another worker writes between a module's read
 * and its write; tests make one happen through host.shared.data (tools/host/shared.ts):
 *   host.shared.data.interleave(/\/u\/\d+$/, ({ op, instance, value }) => {  // after a get, before a set
 *     if (op === "set" && instance === "worker 0") void host.request({ headers, worker: 1 });  // runs now
 *   });                                                 // returns the remover; host.instances[1].tick() too
 *   host.shared.data.failCas(/\/u\//, 3);             // the next 3 CAS writes there: CAS_MISMATCH
 *   new SharedState() with .data.ignoreCas = true       // mutation: every module write unconditional
 */
import { readFile } from "node:fs/promises";
import { LOG_LEVELS } from "./abi";
import { toBytes, toValue, type Value } from "./bytes";
import { ManualClock } from "./clock";
import { HttpCalls } from "./http-calls";
import { type MetricSnapshot, MetricStore } from "./metrics";
import { SharedState } from "./shared";
import { runStream } from "./streams";
import type { ConfigureResult, HostOptions, HttpCallRecord, LogLine, RequestResult, RequestSpec } from "./types";
import { type ModuleInfo, validateModule } from "./validate";
import { type VmHost, VmInstance } from "./vm";

const DEFAULT_HANG_TIMEOUT_MS = 5000;

/** counts in-flight async work for idle() */
class Pending {
  private count = 0;
  private waiters: (() => void)[] = [];

  track(work: Promise<void>): void {
    this.count++;
    work
      .catch((e) => queueMicrotask(() => { throw e; })) // a host bug: make it loud
      .finally(() => {
        if (--this.count === 0) this.waiters.splice(0).forEach((wake) => wake());
      });
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((wake) => this.waiters.push(wake));
  }
}

export class ProxyWasmHost {
  /** every captured log line at or above the configured level, all instances */
  readonly logs: LogLine[] = [];
  /** worker instances (index = RequestSpec.worker) */
  readonly instances: VmInstance[] = [];
  readonly shared: SharedState;
  private readonly vmHost: VmHost;
  private readonly metricStore = new MetricStore();
  private readonly clock: ManualClock;
  private readonly httpCalls: HttpCalls;
  private readonly pending = new Pending();
  private nextWorker = 0;

  static async create(options: HostOptions): Promise<ProxyWasmHost> {
    const bytes = new Uint8Array(typeof options.wasm === "string" ? await readFile(options.wasm) : options.wasm);
    const module = await WebAssembly.compile(bytes);
    return new ProxyWasmHost(options, module, validateModule(bytes));
  }

  private constructor(
    private readonly options: HostOptions,
    private readonly module: WebAssembly.Module,
    private readonly info: ModuleInfo,
  ) {
    this.shared = options.shared ?? new SharedState();
    this.clock = new ManualClock(options.startTimeMs ?? Date.now());
    this.httpCalls = new HttpCalls(options.clusters ?? {}, (work) => this.pending.track(work));
    const logLevel = LOG_LEVELS.indexOf(options.logLevel ?? "debug");
    this.vmHost = {
      pluginName: options.pluginName ?? "authrep",
      rootId: options.rootId ?? "",
      vmId: options.vmId ?? "",
      vmConfig: toBytes(options.vmConfig ?? ""),
      environment: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      logLevel,
      failurePolicy: options.failurePolicy ?? "FAIL_CLOSED",
      clock: this.clock,
      shared: this.shared,
      metrics: this.metricStore,
      hasCluster: (name) => this.httpCalls.has(name),
      dispatch: (vm, call) => this.httpCalls.dispatch(vm, call),
      log: (vm, level, message) => {
        if (level >= logLevel) this.logs.push({ instance: vm.label, level: LOG_LEVELS[level], message });
      },
      defer: (task) => this.pending.track(new Promise(setImmediate).then(task)),
    };
  }

  /** every http call made by any instance (canary included), in order */
  get calls(): HttpCallRecord[] {
    return this.httpCalls.all;
  }

  /** shared data in this plugin's vm_id namespace, to inspect or preseed */
  get sharedData() {
    const { data } = this.shared;
    const vmId = this.vmHost.vmId;
    return {
      get(key: Value): { value: Value; cas: number } | undefined {
        const entry = data.get(vmId, key);
        return entry && { value: toValue(entry.value), cas: entry.cas };
      },
      set: (key: Value, value: Value) => data.set(vmId, key, toBytes(value), 0),
    };
  }

  async configure(configuration: Value): Promise<ConfigureResult> {
    const bytes = toBytes(configuration);
    const logsFrom = this.logs.length;
    const canary = this.spawn("canary");
    let error = this.start(canary, bytes, "base");
    canary.kill();
    if (!error && this.instances.length === 0) {
      for (let i = 0; i < (this.options.concurrency ?? 1); i++) {
        const worker = this.spawn(`worker ${i}`);
        this.instances.push(worker);
        error ??= this.start(worker, bytes, "thread-local");
      }
    } else if (!error) {
      for (const worker of this.instances) {
        if (!worker.configure(bytes)) error ??= failure(worker, "Failed to configure thread-local Wasm plugin");
      }
    }
    return { accepted: !error, ...(error && { error }), logs: this.logs.slice(logsFrom) };
  }

  async request(spec: RequestSpec): Promise<RequestResult> {
    if (this.instances.length === 0) throw new Error("no accepted configuration: call configure() first");
    const worker = spec.worker ?? this.nextWorker++ % this.instances.length;
    const vm = this.instances[worker];
    if (!vm) throw new RangeError(`no worker ${worker} (concurrency ${this.instances.length})`);
    const hangTimeoutMs = spec.hangTimeoutMs ?? this.options.hangTimeoutMs ?? DEFAULT_HANG_TIMEOUT_MS;
    return runStream(vm, spec, worker, hangTimeoutMs, { logs: this.logs, calls: this.httpCalls.all });
  }

  /** moves virtual time forward, firing due ticks */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  idle(): Promise<void> {
    return this.pending.idle();
  }

  metric(name: string): MetricSnapshot | undefined {
    return this.metricStore.get(name);
  }

  metrics(): Record<string, MetricSnapshot> {
    return this.metricStore.all();
  }

  /**
   * the plugin is removed from every worker (config push, drained listener): see
   * VmInstance.removePlugin; idle() then waits for the reports a root pending done still makes
   */
  removePlugin(): void {
    this.instances.forEach((vm) => vm.removePlugin());
  }

  /** Envoy shutdown: root on_done/on_delete on every live worker; in-flight answers are dropped */
  async close(): Promise<void> {
    this.instances.forEach((vm) => vm.shutdown());
    this.httpCalls.close();
  }

  private spawn(label: string): VmInstance {
    return new VmInstance(this.module, this.info, this.vmHost, label);
  }

  /** initialize → root context → on_vm_start → on_configure; Envoy's error text on failure */
  private start(vm: VmInstance, configuration: Uint8Array, kind: "base" | "thread-local"): string | undefined {
    if (!vm.initialize()) return failure(vm, "Failed to initialize Wasm code");
    if (!vm.startRoot()) return failure(vm, `Failed to start ${kind} Wasm`);
    if (!vm.configure(configuration)) return failure(vm, `Failed to configure ${kind} Wasm plugin`);
    return undefined;
  }
}

function failure(vm: VmInstance, message: string): string {
  return vm.error ? `${message}: ${vm.error.message}` : message;
}
