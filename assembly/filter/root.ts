// The plugin's root context: parses the configuration once per on_configure and owns the
// authrep calls (the host delivers call answers to the root context, not to the stream).
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
import * as metrics from "../telemetry/metrics";

/** ticks drive the system fetch, batched reports and the memory gauge */
const TICK_PERIOD_MS: u32 = 1000;

export class AuthrepRootContext extends RootContext {
  /** immutable once parsed; streams share it (defect D10) */
  config: Config | null = null;
  /** the system (portal) fetch: owns its calls and swaps `config` when a document arrives */
  private system: SystemFetcher = new SystemFetcher(host.nowNanoseconds());
  /** authrep calls, the authorization cache and batched reports */
  authorizer: Authorizer = new Authorizer();
  /** on_done answered false: `host.done()` once the last report is answered */
  private finishing: bool = false;

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
    this.config = this.system.configure(config, fingerprint(bytes));
    this.authorizer.configure(config);
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
    const updated = this.system.tick();
    if (updated) this.config = updated;
    const config = this.config;
    if (config) this.authorizer.tick(config);
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

  onQueueReady(queueId: u32): void {
    this.authorizer.onQueueReady(queueId);
  }

  onHttpCallResponse(callId: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
    if (this.system.owns(callId)) {
      const updated = this.system.onAnswer(callId, numHeaders, bodySize);
      if (updated) this.config = updated;
    } else if (this.authorizer.owns(callId)) {
      this.authorizer.onAnswer(callId, numHeaders);
    }
    if (this.finishing && this.authorizer.settled) {
      this.finishing = false;
      const status = host.done();
      log(status == Status.Ok ? LogLevel.Info : LogLevel.Warn, "plugin removed: its last reports are answered (proxy_done: status " + (<i32>status).toString() + ")");
    }
  }
}
