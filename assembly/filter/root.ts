// The plugin's root context: parses the configuration once per on_configure and owns the
// authrep calls (the host delivers call answers to the root context, not to the stream).
import { BufferType, MapType, Status, StreamType } from "../abi/enums";
import { HttpContext, RootContext } from "../abi/context";
import * as host from "../abi/host";
import { Config } from "../config/types";
import { MAX_CONFIG_BYTES, parseConfig } from "../config/parse";
import { log, LogLevel } from "../runtime/log";
import { scaleCollectionInterval } from "../runtime/gc";
import { isValidUtf8 } from "../text/utf8";
import { decideAnswer } from "../pipeline/answer";
import { AuthrepCall } from "../pipeline/authrep";
import { Outcome } from "../pipeline/reply";
import { AuthrepHttpContext, applyDecision } from "./http";
import { SystemFetcher } from "../system/fetcher";
import { fingerprint } from "../system/record";
import * as metrics from "./metrics";

export class AuthrepRootContext extends RootContext {
  /** immutable once parsed; streams share it (defect D10) */
  config: Config | null = null;
  /** the system (portal) fetch: owns its calls and swaps `config` when a document arrives */
  private system: SystemFetcher = new SystemFetcher(host.nowNanoseconds());
  /** authrep call id → waiting stream context id */
  private pending: Map<u32, u32> = new Map<u32, u32>();
  /** authrep call id → host clock at dispatch (ns), for the latency histogram */
  private sentAt: Map<u32, u64> = new Map<u32, u64>();

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
    this.config = this.system.configure(config, fingerprint(bytes));
    scaleCollectionInterval(bytes.byteLength);
    const services = config.services;
    log(LogLevel.Info, "configuration accepted: " + (services ? services.length : 0).toString() + " service(s)");
    metrics.countConfiguration(true);
    return true;
  }

  newHttpContext(id: u32): HttpContext {
    return new AuthrepHttpContext(id, this);
  }

  onTick(): void {
    const updated = this.system.tick();
    if (updated) this.config = updated;
  }

  /** dispatches the call for a stream; false when the host refused it */
  dispatch(call: AuthrepCall, streamId: u32): bool {
    metrics.countBackendCall();
    const result = host.httpCall(call.cluster, call.headers, "", call.timeoutMs);
    if (result.status != Status.Ok) {
      log(LogLevel.Warn, "authrep dispatch to cluster `" + call.cluster + "` refused by the host (status " + (<i32>result.status).toString() + ")");
      metrics.countBackendFailure();
      return false;
    }
    this.pending.set(result.callId, streamId);
    this.sentAt.set(result.callId, host.nowNanoseconds());
    return true;
  }

  onHttpCallResponse(callId: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
    if (this.system.owns(callId)) {
      const updated = this.system.onAnswer(callId, numHeaders, bodySize);
      if (updated) this.config = updated;
      return;
    }
    if (!this.pending.has(callId)) return;
    const streamId = this.pending.get(callId);
    this.pending.delete(callId);
    const status = numHeaders > 0 ? host.getHeader(MapType.HttpCallResponseHeaders, ":status") : null;
    metrics.countBackendAnswer(status, this.sentAt.get(callId));
    this.sentAt.delete(callId);
    const reason = numHeaders > 0 ? host.getHeader(MapType.HttpCallResponseHeaders, "3scale-rejection-reason") : null;
    const decision = decideAnswer(status, reason);
    if (status == null) log(LogLevel.Warn, "authrep call failed: no answer from the backend (host status " + host.lastCallStatus().toString() + ")");
    else if (decision.outcome == Outcome.Reply) log(LogLevel.Debug, "authrep answered " + status + (reason != null ? " (" + reason + ")" : ""));
    // The stream may be gone (client closed); then there is nothing left to answer.
    if (host.setEffectiveContext(streamId) != Status.Ok) return;
    applyDecision(decision);
    if (decision.outcome == Outcome.Continue) host.continueStream(StreamType.HttpRequest);
  }
}
