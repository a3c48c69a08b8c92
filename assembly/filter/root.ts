// The plugin's root context: parses the configuration once per on_configure, holds it, and
// drives the system fetch, the authorizer and the metrics with the host's time. Call answers go
// straight to their handlers (abi/calls.ts).
import { BufferType, Status } from "../abi/enums";
import { HttpContext, RootContext } from "../abi/context";
import * as host from "../abi/host";
import { Config } from "../config/types";
import { MAX_CONFIG_BYTES, parseConfig } from "../config/parse";
import { log, LogLevel } from "../runtime/log";
import { isValidUtf8 } from "../text/utf8";
import { AuthrepHttpContext } from "./http";
import { Authorizer } from "./authorizer";
import { SystemFetcher } from "../system/fetcher";
import { fingerprint } from "../system/record";
import { keyPrefix } from "../system/coordination";
import * as metrics from "../telemetry/metrics";
import { HostMetrics, HostSharedData, RootCalls } from "./host_ports";

/** ticks drive the system fetch, batched reports and the memory gauge */
const TICK_PERIOD_MS: u32 = 1000;

const SHARED_DATA = new HostSharedData();
const METRICS = new HostMetrics();

export class AuthrepRootContext extends RootContext {
  /** the system (portal) fetch: its calls, and the configuration with the fetched documents applied */
  private system: SystemFetcher;
  /** authrep calls, the authorization cache and batched reports */
  authorizer: Authorizer;
  /** on_done answered false: `host.done()` once the last report is answered */
  private finishing: bool = false;

  constructor(id: u32) {
    super(id);
    const calls = new RootCalls(id);
    this.system = new SystemFetcher(host.nowNanoseconds(), SHARED_DATA, calls);
    this.authorizer = new Authorizer(id, SHARED_DATA, calls);
    metrics.setMetricSink(METRICS);
  }

  /** immutable once parsed; streams share it (defect D10) */
  get config(): Config | null {
    return this.system.config;
  }

  onConfigure(configSize: u32): bool {
    metrics.defineMetrics();
    // checked before reading: a huge buffer must be refused, not exhaust the VM's memory
    if (configSize > <u32>MAX_CONFIG_BYTES) {
      log(LogLevel.Error, "configuration rejected: configuration: larger than " + MAX_CONFIG_BYTES.toString() + " bytes");
      metrics.countConfiguration(false);
      return false;
    }
    const bytes = host.getBuffer(BufferType.PluginConfiguration, configSize);
    if (!isValidUtf8(changetype<usize>(bytes), <usize>bytes.byteLength)) {
      log(LogLevel.Error, "configuration rejected: configuration: not valid UTF-8");
      metrics.countConfiguration(false);
      return false;
    }
    const result = parseConfig(String.UTF8.decode(bytes));
    for (let i = 0; i < result.warnings.length; i++) log(LogLevel.Warn, "configuration: " + result.warnings[i]);
    const config = result.config;
    if (!config) {
      log(LogLevel.Error, "configuration rejected: " + result.error);
      metrics.countConfiguration(false);
      return false;
    }
    metrics.defineServiceMetrics(config);
    const prefix = keyPrefix(property("plugin_name"), property("plugin_root_id"));
    this.system.configure(config, fingerprint(bytes), prefix);
    this.authorizer.configure(config, prefix);
    host.setTickPeriod(TICK_PERIOD_MS);
    const services = config.services;
    log(LogLevel.Info, "configuration accepted: " + (services ? services.length : 0).toString() + " service(s)");
    metrics.countConfiguration(true);
    return true;
  }

  newHttpContext(id: u32): HttpContext {
    return new AuthrepHttpContext(id, this);
  }

  onTick(): void {
    if (this.finishing) return;
    this.authorizer.wake();
    const now = host.nowMilliseconds();
    this.system.tick(now);
    const config = this.config;
    if (config) this.authorizer.tick(config, now);
    metrics.recordMemoryPages();
  }

  /**
   * The plugin is removed (a config push, a drained listener): the usage this worker recorded is
   * reported now rather than left to the next instance's scan, and the host keeps this context
   * until those reports are answered.
   */
  onDone(): bool {
    const config = this.config;
    if (config) this.authorizer.flush(config);
    if (this.authorizer.settled) return true;
    log(LogLevel.Info, "plugin removed: reporting the usage this worker recorded before finishing");
    this.finishing = true;
    return false;
  }

  /** once removed, the context finishes when its last call is answered */
  afterCallAnswer(): void {
    if (this.finishing && this.authorizer.settled) {
      this.finishing = false;
      // an authrep's handler may have left a stream effective; proxy_done acts on the effective context
      host.setEffectiveContext(this.id);
      const status = host.done();
      log(status == Status.Ok ? LogLevel.Info : LogLevel.Warn, "plugin removed: its last reports are answered (proxy_done: status " + (<i32>status).toString() + ")");
    }
  }
}

/** a plugin property as text ("" when absent) */
function property(name: string): string {
  const bytes = host.getProperty([name]);
  return bytes ? String.UTF8.decode(bytes) : "";
}
