// Each worker reports, every `report_interval`, the usage slots it wrote since its last report
// (APIcast's batcher also flushes per worker). After a configure, and again every RESCAN_MS,
// each worker also looks at every slot, a chunk per tick so no callback stalls, to pick up what
// another instance of this plugin left (reload, a removed instance's failed last report) or
// failed to deliver; occupied slots join the next report.
// Undeliverable reports (no answer, 5xx) go back into the table with their failure count and
// are retried at the next report; after `report_retries` failures, or when the backend rejects
// a report (4xx: sending it again cannot help), the usage is dropped, logged and counted.
import { Status } from "../abi/enums";
import * as host from "../abi/host";
import { CacheConfig } from "../config/cache";
import { Config, Upstream } from "../config/types";
import { log, LogLevel } from "../runtime/log";
import * as metrics from "../telemetry/metrics";
import { Counter } from "../telemetry/metrics";
import { PendingUsage, UsageTable } from "./usage_table";
import { planReports, ReportCall } from "./report";
import { backendDecided } from "../text/status";
import { hashKey } from "./transaction";

/** slots looked at per tick by the scan (one shared-data read each) */
const SCAN_CHUNK: u32 = 512;
/** how often a scan of every slot starts again once the previous one is over */
const RESCAN_MS: u64 = 60_000;
/**
 * usage entries one report takes (each a few KiB of work): the memory of a tick is bounded
 * whatever `max_entries`; the rest is reported at the next tick, not the next interval
 */
export const MAX_ENTRIES_PER_REPORT: i32 = 1000;

export class Reporter {
  /** slots this worker wrote since its last report */
  private dirty: Set<u32> = new Set<u32>();
  /** the scan of every slot (after a configure, then every RESCAN_MS): next slot, end, next start */
  private scanNext: u32 = 0;
  private scanEnd: u32 = 0;
  private nextScanMs: u64 = 0;
  private nextReportMs: u64 = 0;
  /** the last report stopped at MAX_ENTRIES_PER_REPORT: the next tick goes on */
  private backlog: bool = false;
  /** the plugin is being removed: what fails goes back into the table for the next instance */
  private finishing: Config | null = null;
  private finishingUpstream: Upstream | null = null;
  /** usage that could not be put back into the table: reported with the next batch */
  private leftovers: Array<PendingUsage> = new Array<PendingUsage>();
  private calls: Map<u32, ReportCall> = new Map<u32, ReportCall>();

  constructor(public table: UsageTable, private settings: CacheConfig, nowMs: u64, extent: u32) {
    this.scanEnd = max(extent, table.size);
    this.nextReportMs = nowMs + settings.reportIntervalMs;
  }

  /** the cache was turned off: report everything left, at once, then stop (see `idle`) */
  retire(nowMs: u64): void {
    this.scanNext = 0;
    this.nextReportMs = nowMs;
  }

  /** reports are waiting for an answer */
  get inFlight(): bool {
    return this.calls.size > 0;
  }

  /**
   * the plugin is being removed: reports everything this reporter holds, now and as each
   * report is answered (MAX_ENTRIES_PER_REPORT at a time), for the last time
   */
  flush(config: Config, upstream: Upstream): void {
    this.finishing = config;
    this.finishingUpstream = upstream;
    this.report(config, upstream);
  }

  /** nothing left to report or to wait for */
  get idle(): bool {
    return this.calls.size == 0 && this.leftovers.length == 0 && this.dirty.size == 0 && this.scanNext >= this.scanEnd;
  }

  /** takes over another reporter's reports in flight and undelivered usage, adding them to its own */
  adopt(previous: Reporter): void {
    const ids = previous.calls.keys();
    for (let i = 0; i < ids.length; i++) this.calls.set(ids[i], previous.calls.get(ids[i]));
    for (let i = 0; i < previous.leftovers.length; i++) this.leftovers.push(previous.leftovers[i]);
    const slots = previous.dirty.values();
    for (let i = 0; i < slots.length; i++) this.dirty.add(slots[i]);
  }

  /** remembers that this worker wrote `slot` */
  touched(slot: i64): void {
    if (slot >= 0) this.dirty.add(<u32>slot);
  }

  tick(config: Config, upstream: Upstream, nowMs: u64): void {
    if (this.finishing) return;
    this.scanChunk(nowMs);
    if (nowMs >= this.nextReportMs) this.nextReportMs = nowMs + this.settings.reportIntervalMs;
    else if (!this.backlog) return;
    this.report(config, upstream);
  }

  private report(config: Config, upstream: Upstream): void {
    const pending = this.collect();
    if (pending.length == 0) return;
    const plan = planReports(config, upstream, pending);
    for (let i = 0; i < plan.orphans.length; i++) this.drop(plan.orphans[i], "its service is not configured (or has no token)");
    for (let i = 0; i < plan.calls.length; i++) this.send(plan.calls[i]);
  }

  owns(callId: u32): bool {
    return this.calls.has(callId);
  }

  onAnswer(callId: u32, status: string | null): void {
    const call = this.calls.get(callId);
    this.calls.delete(callId);
    this.settle(call, status);
    const config = this.finishing;
    if (config && this.backlog && this.calls.size == 0) this.report(config, this.finishingUpstream!);
  }

  private settle(call: ReportCall, status: string | null): void {
    // 408 and 429 ask to come back later; any other 4xx would be refused again
    const delivered = backendDecided(status) && status != "408" && status != "429";
    if (delivered && status!.charCodeAt(0) == 0x32) {
      metrics.countReport(call.requests);
      return;
    }
    if (delivered) {
      log(LogLevel.Warn, "report for service " + call.serviceId + " rejected by the backend (" + status! + "): " + call.requests.toString() + " request(s) of usage dropped");
      metrics.countReportDropped(call.requests);
      return;
    }
    metrics.count(Counter.ReportFailures);
    log(LogLevel.Warn, "report for service " + call.serviceId + " not delivered (" + (status != null ? status : "no answer") + "); retried at the next report");
    for (let i = 0; i < call.entries.length; i++) this.putBack(call.entries[i]);
  }

  private scanChunk(nowMs: u64): void {
    if (this.scanNext >= this.scanEnd) {
      if (nowMs < this.nextScanMs) return;
      this.scanNext = 0;
    }
    if (this.scanNext == 0) this.nextScanMs = nowMs + RESCAN_MS;
    const end = min(this.scanNext + SCAN_CHUNK, this.scanEnd);
    for (let i = this.scanNext; i < end; i++) if (this.table.occupied(i)) this.dirty.add(i);
    this.scanNext = end;
  }

  /** up to MAX_ENTRIES_PER_REPORT leftovers and written slots, taken out of the table */
  private collect(): Array<PendingUsage> {
    const pending = new Array<PendingUsage>();
    const leftovers = this.leftovers;
    const kept = max(leftovers.length - MAX_ENTRIES_PER_REPORT, 0);
    for (let i = kept; i < leftovers.length; i++) pending.push(leftovers[i]);
    leftovers.length = kept;
    const slots = this.dirty.values();
    const taken = min(slots.length, max(MAX_ENTRIES_PER_REPORT - pending.length, 0));
    for (let i = 0; i < taken; i++) {
      this.dirty.delete(slots[i]);
      this.takeInto(slots[i], pending);
    }
    this.backlog = kept > 0 || taken < slots.length;
    return pending;
  }

  private takeInto(slot: u32, out: Array<PendingUsage>): void {
    const entry = this.table.take(slot);
    if (entry && entry.requests > 0) out.push(entry);
  }

  private send(call: ReportCall): void {
    metrics.count(Counter.ReportCalls);
    const result = host.httpCall(call.cluster, call.headers, call.body, call.timeoutMs);
    if (result.status == Status.Ok) {
      this.calls.set(result.callId, call);
      return;
    }
    log(LogLevel.Warn, "report dispatch to cluster `" + call.cluster + "` refused by the host (status " + (<i32>result.status).toString() + ")");
    metrics.count(Counter.ReportFailures);
    for (let i = 0; i < call.entries.length; i++) this.putBack(call.entries[i]);
  }

  private putBack(entry: PendingUsage): void {
    const failures = entry.failures + 1;
    if (failures > this.settings.reportRetries) {
      this.drop(entry, "not delivered after " + failures.toString() + " attempts");
      return;
    }
    const slot = this.table.addText(entry.key, hashKey(entry.key), entry.requests, failures);
    if (slot >= 0) this.touched(slot);
    else if (this.finishing == null && this.leftovers.length < <i32>this.table.size) this.leftovers.push(new PendingUsage(entry.key, entry.requests, failures));
    else this.drop(entry, "the usage table is full");
  }

  private drop(entry: PendingUsage, why: string): void {
    log(LogLevel.Warn, "usage of " + entry.requests.toString() + " request(s) dropped: " + why);
    metrics.countReportDropped(entry.requests);
  }
}
