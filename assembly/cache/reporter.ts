// Each worker reports, every `report_interval`, the usage slots it wrote since its last report
// (APIcast's batcher also flushes per worker), one call per credential (see report.ts for why).
// A report is a round: the slots written until it starts, taken MAX_ENTRIES_PER_REPORT at a time,
// their calls sent as earlier ones are answered with at most MAX_REPORTS_IN_FLIGHT waiting, so
// the work of a callback and the load on the backend cluster are bounded whatever the number of
// credentials. What a round puts back waits for the next round: a failing backend is not retried
// faster than once per interval. After a configure, and again every RESCAN_MS, each worker also
// looks at every slot, a chunk per tick so no callback stalls, to pick up what another instance
// of this plugin left (reload, a removed instance's failed last report) or failed to deliver;
// occupied slots join the next round.
// Undeliverable reports (no answer, 5xx) go back into the table with their failure count and
// are retried at the next report; after `report_retries` failures, or when the backend rejects
// a report (4xx: sending it again cannot help), the usage is dropped, logged and counted.
import { CacheConfig } from "../config/cache";
import { CallAnswer, CallDispatcher, CallHandler } from "../runtime/calls";
import { Config, Upstream } from "../config/types";
import { log, LogLevel } from "../runtime/log";
import * as metrics from "../telemetry/metrics";
import { Counter } from "../telemetry/metrics";
import { PendingUsage, UsageTable } from "./usage_table";
import { planReports, ReportCall } from "./report";
import { backendDecided } from "../text/status";
import { hashKey } from "../backend/transaction";

/** slots looked at per tick by the scan (one shared-data read each) */
const SCAN_CHUNK: u32 = 512;
/** how often a scan of every slot starts again once the previous one is over */
const RESCAN_MS: u64 = 60_000;
/** usage entries a round takes at a time (each a few KiB of work): the memory of a callback is bounded */
export const MAX_ENTRIES_PER_REPORT: i32 = 1000;
/**
 * report calls of a worker waiting for an answer at most: far below Envoy's default circuit
 * breaker of the backend cluster (1,024 requests), which the authreps share
 */
export const MAX_REPORTS_IN_FLIGHT: i32 = 32;

/** a report call waiting for its answer; `reporter`: the one it goes to (an adopter takes it over) */
class ReportInFlight extends CallHandler {
  constructor(public reporter: Reporter, public call: ReportCall) { super(); }

  onAnswer(answer: CallAnswer): void {
    this.reporter.answered(this, answer.numHeaders > 0 ? answer.header(":status") : null);
  }
}

export class Reporter {
  /** slots this worker wrote since the current round started */
  private dirty: Set<u32> = new Set<u32>();
  /** the current round: its slots (taken from `roundNext` on), its usage held outside the table, its calls not sent yet */
  private round: Array<u32> = new Array<u32>();
  private roundNext: i32 = 0;
  private carried: Array<PendingUsage> = new Array<PendingUsage>();
  private queue: Array<ReportCall> = new Array<ReportCall>();
  private queueNext: i32 = 0;
  /** an interval is over: the next round starts as soon as the current one is */
  private due: bool = false;
  /** the scan of every slot (after a configure, then every RESCAN_MS): next slot, end, next start */
  private scanNext: u32 = 0;
  private scanEnd: u32 = 0;
  private nextScanMs: u64 = 0;
  private nextReportMs: u64 = 0;
  /** what the calls are made for (the last tick's, or the removed plugin's) */
  private config: Config | null = null;
  private upstream: Upstream | null = null;
  /** the plugin is being removed: what fails goes back into the table for the next instance */
  private finishing: bool = false;
  /** usage that could not be put back into the table: reported in the next round */
  private leftovers: Array<PendingUsage> = new Array<PendingUsage>();
  private calls: Set<ReportInFlight> = new Set<ReportInFlight>();

  constructor(public table: UsageTable, private dispatcher: CallDispatcher, private settings: CacheConfig, nowMs: u64, extent: u32) {
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
   * the plugin is being removed: everything this reporter holds joins the round, reported now
   * and as each report is answered, for the last time
   */
  flush(config: Config, upstream: Upstream): void {
    this.finishing = true;
    this.config = config;
    this.upstream = upstream;
    const slots = this.dirty.values();
    for (let i = 0; i < slots.length; i++) this.round.push(slots[i]);
    this.dirty.clear();
    for (let i = 0; i < this.leftovers.length; i++) this.carried.push(this.leftovers[i]);
    this.leftovers = new Array<PendingUsage>();
    this.report();
  }

  /** nothing left to report or to wait for */
  get idle(): bool {
    return this.calls.size == 0 && this.roundOver && this.leftovers.length == 0 && this.dirty.size == 0 && this.scanNext >= this.scanEnd;
  }

  /** takes over another reporter's reports in flight and what it still holds, adding them to its own next round */
  adopt(previous: Reporter): void {
    const calls = previous.calls.values();
    for (let i = 0; i < calls.length; i++) {
      calls[i].reporter = this;
      this.calls.add(calls[i]);
    }
    previous.calls.clear();
    for (let i = 0; i < previous.leftovers.length; i++) this.leftovers.push(previous.leftovers[i]);
    for (let i = 0; i < previous.carried.length; i++) this.leftovers.push(previous.carried[i]);
    for (let c = previous.queueNext; c < previous.queue.length; c++) {
      const entries = previous.queue[c].entries;
      for (let i = 0; i < entries.length; i++) this.leftovers.push(entries[i]);
    }
    const slots = previous.dirty.values();
    for (let i = 0; i < slots.length; i++) this.dirty.add(slots[i]);
    for (let i = previous.roundNext; i < previous.round.length; i++) this.dirty.add(previous.round[i]);
  }

  /** remembers that this worker wrote `slot` */
  touched(slot: i64): void {
    if (slot >= 0) this.dirty.add(<u32>slot);
  }

  tick(config: Config, upstream: Upstream, nowMs: u64): void {
    if (this.finishing) return;
    this.config = config;
    this.upstream = upstream;
    this.scanChunk(nowMs);
    if (nowMs >= this.nextReportMs) {
      this.nextReportMs = nowMs + this.settings.reportIntervalMs;
      this.due = true;
    }
    this.report();
  }

  /** the round's next calls, up to MAX_REPORTS_IN_FLIGHT waiting; a new round when one is due */
  private report(): void {
    const config = this.config;
    if (!config) return;
    if (this.roundOver) {
      if (!this.due || this.finishing) return;
      this.due = false;
      this.round = this.dirty.values();
      this.roundNext = 0;
      this.dirty.clear();
      this.carried = this.leftovers;
      this.leftovers = new Array<PendingUsage>();
    }
    if (this.queueNext >= this.queue.length) {
      const plan = planReports(config, this.upstream!, this.collect());
      for (let i = 0; i < plan.orphans.length; i++) this.drop(plan.orphans[i], "its service is not configured (or has no token)");
      this.queue = plan.calls;
      this.queueNext = 0;
    }
    while (this.calls.size < MAX_REPORTS_IN_FLIGHT && this.queueNext < this.queue.length) this.send(this.queue[this.queueNext++]);
  }

  private get roundOver(): bool {
    return this.roundNext >= this.round.length && this.carried.length == 0 && this.queueNext >= this.queue.length;
  }

  answered(inFlight: ReportInFlight, status: string | null): void {
    this.calls.delete(inFlight);
    this.settle(inFlight.call, status);
    this.report();
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

  /** the round's next MAX_ENTRIES_PER_REPORT entries: its carried usage, then its slots, taken out of the table */
  private collect(): Array<PendingUsage> {
    const pending = new Array<PendingUsage>();
    const carried = this.carried;
    const kept = max(carried.length - MAX_ENTRIES_PER_REPORT, 0);
    for (let i = kept; i < carried.length; i++) pending.push(carried[i]);
    carried.length = kept;
    const end = min(this.round.length, this.roundNext + max(MAX_ENTRIES_PER_REPORT - pending.length, 0));
    for (let i = this.roundNext; i < end; i++) this.takeInto(this.round[i], pending);
    this.roundNext = end;
    return pending;
  }

  private takeInto(slot: u32, out: Array<PendingUsage>): void {
    const entry = this.table.take(slot);
    if (entry && entry.requests > 0) out.push(entry);
  }

  private send(call: ReportCall): void {
    metrics.count(Counter.ReportCalls);
    const inFlight = new ReportInFlight(this, call);
    const status = this.dispatcher.dispatch(call.cluster, call.headers, call.body(), call.timeoutMs, inFlight);
    if (status == 0) {
      this.calls.add(inFlight);
      return;
    }
    log(LogLevel.Warn, "report dispatch to cluster `" + call.cluster + "` refused by the host (status " + status.toString() + ")");
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
    else if (!this.finishing && this.leftovers.length < <i32>this.table.size) this.leftovers.push(new PendingUsage(entry.key, entry.requests, failures));
    else this.drop(entry, "the usage table is full");
  }

  private drop(entry: PendingUsage, why: string): void {
    log(LogLevel.Warn, "usage of " + entry.requests.toString() + " request(s) dropped: " + why);
    metrics.countReportDropped(entry.requests);
  }
}
