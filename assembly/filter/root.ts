// The plugin's root context: parses the configuration once per on_configure and owns the
// authrep calls (the host delivers call answers to the root context, not to the stream).
import { BufferType, MapType, Status } from "../abi/enums";
import { HttpContext, RootContext } from "../abi/context";
import * as host from "../abi/host";
import { Config } from "../config/types";
import { MAX_CONFIG_BYTES, parseConfig } from "../config/parse";
import { log, LogLevel } from "../runtime/log";
import { scaleCollectionInterval } from "../runtime/gc";
import { isValidUtf8 } from "../text/utf8";
import { BackendAnswer, decideAnswer } from "../pipeline/answer";
import { AuthrepCall } from "../pipeline/authrep";
import { Outcome } from "../pipeline/reply";
import { AuthrepHttpContext } from "./http";
import { SystemFetcher } from "../system/fetcher";
import { fingerprint } from "../system/record";
import * as metrics from "./metrics";

export class AuthrepRootContext extends RootContext {
  /** immutable once parsed; streams share it (defect D10) */
  config: Config | null = null;
  /** the system (portal) fetch: owns its calls and swaps `config` when a document arrives */
  private system: SystemFetcher = new SystemFetcher(host.nowNanoseconds());
  /** authrep call id → the call and its waiting stream */
  private pending: Map<u32, PendingCall> = new Map<u32, PendingCall>();

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
  dispatch(call: AuthrepCall, stream: AuthrepHttpContext): bool {
    metrics.countBackendCall();
    const result = host.httpCall(call.cluster, call.headers, "", call.timeoutMs);
    if (result.status != Status.Ok) {
      log(LogLevel.Warn, "authrep dispatch to cluster `" + call.cluster + "` refused by the host (status " + (<i32>result.status).toString() + ")");
      metrics.countBackendFailure();
      return false;
    }
    this.pending.set(result.callId, new PendingCall(call, stream, host.nowNanoseconds()));
    return true;
  }

  onHttpCallResponse(callId: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
    if (this.system.owns(callId)) {
      const updated = this.system.onAnswer(callId, numHeaders, bodySize);
      if (updated) this.config = updated;
      return;
    }
    if (!this.pending.has(callId)) return;
    const p = this.pending.get(callId);
    this.pending.delete(callId);
    const answer = numHeaders > 0 ? readAnswer(p.call.limitHeaders) : new BackendAnswer(null, null);
    const status = answer.status;
    metrics.countBackendAnswer(status, p.sentAt);
    const decision = decideAnswer(answer, p.call);
    const reason = answer.rejectionReason;
    if (status == null) log(LogLevel.Warn, "authrep call failed: no answer from the backend (host status " + host.lastCallStatus().toString() + ")");
    else if (decision.outcome == Outcome.Reply) log(LogLevel.Debug, "authrep answered " + status + (reason != null ? " (" + reason + ")" : ""));
    // The stream may be gone (client closed); then there is nothing left to answer.
    if (host.setEffectiveContext(p.stream.id) != Status.Ok) return;
    p.stream.resume(decision);
  }
}

class PendingCall {
  /** sentAt: host clock at dispatch (ns), for the latency histogram */
  constructor(public call: AuthrepCall, public stream: AuthrepHttpContext, public sentAt: u64) {}
}

function readAnswer(limitHeaders: bool): BackendAnswer {
  const answer = new BackendAnswer(callHeader(":status"), callHeader("3scale-rejection-reason"));
  if (limitHeaders) {
    answer.limitMax = callHeader("3scale-limit-max-value");
    answer.limitRemaining = callHeader("3scale-limit-remaining");
    answer.limitReset = callHeader("3scale-limit-reset");
  }
  return answer;
}

function callHeader(name: string): string | null {
  return host.getHeader(MapType.HttpCallResponseHeaders, name);
}
