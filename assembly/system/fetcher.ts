// The system configuration fetch of one root context (docs/design.md §6): after every
// successful configure each service's record is due at once (defect D13); then each worker's
// tick reads the shared records, applies newer documents to its own configuration, and takes
// the lease of a due record by CAS. Only the lease holder calls the portal, so a plugin makes
// one fetch per service and period whatever the number of workers; a lease whose holder never
// finishes expires and another worker takes over.
import { Config, Service, SystemConfig } from "../config/types";
import { CallAnswer, CallDispatcher, CallHandler } from "../runtime/calls";
import { SharedData } from "../runtime/shared_data";
import { log, LogLevel } from "../runtime/log";
import { MAX_DOCUMENT_BYTES, readAnswer } from "./answer";
import { loadRecord, storeRecord, StoredRecord } from "./coordination";
import { FetchedConfig, parseDocument, serializeDocument } from "./document";
import { buildFetchRequest } from "./fetch_request";
import { percentEncodeComponent } from "../url/form";
import { mergeService, withService } from "./merge";
import { FetchRecord } from "./record";
import * as metrics from "../telemetry/metrics";
import { Jitter, leaseUntil, nextDeadline, retryDeadline } from "./schedule";

/** CAS retries before giving up until the next tick (contention is between a few workers) */
const CAS_ATTEMPTS = 4;

/** a fetch in flight; `lease` is the CAS token the lease replaced: unique, so it identifies this holder */
class Ticket extends CallHandler {
  constructor(private fetcher: SystemFetcher, public index: i32, public lease: u32) { super(); }

  onAnswer(answer: CallAnswer): void {
    this.fetcher.answered(this, answer);
  }

  bodyLimit(): u32 {
    return MAX_DOCUMENT_BYTES;
  }
}

export class SystemFetcher {
  private base: Config | null = null;
  private current: Config | null = null;
  private fingerprint: u32 = 0;
  private keys: Array<string> = new Array<string>();
  /** record version applied to `current`, per service */
  private applied: Array<u32> = new Array<u32>();
  /** this configuration's fetches in flight (a re-configure forgets the earlier ones) */
  private calls: Set<Ticket> = new Set<Ticket>();
  private jitter: Jitter;

  constructor(seed: u64, private store: SharedData, private dispatcher: CallDispatcher) {
    this.jitter = new Jitter(seed);
  }

  /** after a successful configure; `prefix`: the plugin's shared-data key prefix (coordination.ts) */
  configure(config: Config, fingerprint: u32, prefix: string): void {
    this.base = this.current = config;
    this.fingerprint = fingerprint;
    this.calls.clear();
    const services = config.services;
    const count = config.system != null && services != null ? services.length : 0;
    this.keys = new Array<string>(count);
    this.applied = new Array<u32>(count);
    for (let i = 0; i < count; i++) {
      const service = services![i];
      this.keys[i] = prefix + "system/" + service.encodedId + "/" + percentEncodeComponent(service.environment);
      this.adopt(i);
    }
  }

  /** applies the documents other workers fetched; fetches what is due */
  tick(now: u64): void {
    for (let i = 0; i < this.keys.length; i++) {
      const stored = loadRecord(this.store, this.keys[i]);
      const record = stored.record;
      if (!record) { this.adopt(i); continue; }
      // another fingerprint: a re-configure this worker has not seen yet, or has already replaced
      if (record.fingerprint != this.fingerprint) continue;
      if (record.version != this.applied[i]) this.apply(i, record, false);
      if (now >= record.deadline && now >= record.leaseUntil) this.takeLease(i, stored, record, now);
    }
  }

  /** the configuration to install: the last configured one with the fetched documents applied */
  get config(): Config | null {
    return this.current;
  }

  /** the portal's answer: applies a new document to `config` */
  answered(ticket: Ticket, answer: CallAnswer): void {
    if (!this.calls.has(ticket)) return;
    this.calls.delete(ticket);
    const result = readAnswer(answer);
    const document = result.document;
    metrics.countFetch(document != null);
    if (!document) this.warn(ticket.index, "fetch failed: " + result.error + "; keeping the last good configuration");
    this.finish(ticket, document, answer.nowMs());
  }

  /**
   * makes record `index` this configuration's: adopts it, or makes it due now — keeping the
   * document an earlier configuration fetched for the same service and environment, so a
   * reload serves the fetched rules without a gap until the new fetch answers
   */
  private adopt(index: i32): void {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const stored = loadRecord(this.store, this.keys[index]);
      const record = stored.record;
      if (record && record.fingerprint == this.fingerprint) {
        this.apply(index, record, false);
        return;
      }
      const fresh = new FetchRecord(this.fingerprint, record ? record.version + 1 : 1, 0, 0, 0, record ? record.document : "");
      if (storeRecord(this.store, this.keys[index], fresh, stored.cas)) {
        this.apply(index, fresh, false);
        return;
      }
    }
  }

  private takeLease(index: i32, stored: StoredRecord, record: FetchRecord, now: u64): void {
    const request = buildFetchRequest(this.system, this.service(index));
    const leased = record.clone();
    leased.leaseUntil = leaseUntil(now, request.timeoutMs);
    leased.owner = stored.cas;
    if (!storeRecord(this.store, this.keys[index], leased, stored.cas)) return;
    const ticket = new Ticket(this, index, stored.cas);
    const status = this.dispatcher.dispatch(request.cluster, request.headers, "", request.timeoutMs, ticket);
    if (status == 0) {
      this.calls.add(ticket);
      return;
    }
    this.warn(index, "dispatch to cluster `" + request.cluster + "` refused by the host (status " + status.toString() + ")");
    metrics.countFetch(false);
    this.finish(ticket, null, now);
  }

  /** releases the lease: with a new document (`null`: the fetch failed) and the next deadline */
  private finish(ticket: Ticket, document: FetchedConfig | null, now: u64): void {
    const text = document ? serializeDocument(document) : null;
    const key = this.keys[ticket.index];
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const stored = loadRecord(this.store, key);
      const record = stored.record;
      // re-configured, or the lease expired and another worker took over
      if (!record || record.fingerprint != this.fingerprint || record.owner != ticket.lease) return;
      const next = record.clone();
      next.leaseUntil = 0;
      next.owner = 0;
      if (text != null) {
        next.version = record.version + 1;
        next.document = text;
        next.deadline = nextDeadline(now, this.system.ttlSeconds, this.jitter);
      } else {
        next.deadline = retryDeadline(now, this.jitter);
      }
      if (!storeRecord(this.store, key, next, stored.cas)) continue;
      // the document itself, not its text read back: one parse less for the largest callback
      if (document != null) this.apply(ticket.index, next, true, document);
      return;
    }
  }

  /** installs record's document (`parsed` when the caller has it) for service `index` over its static definition */
  private apply(index: i32, record: FetchRecord, logWarnings: bool, parsed: FetchedConfig | null = null): void {
    this.applied[index] = record.version;
    const base = this.service(index);
    let service: Service = base;
    if (record.document.length > 0) {
      let document = parsed;
      if (!document) {
        const result = parseDocument(record.document);
        document = result.document;
        if (!document) {
          this.warn(index, "stored document unreadable: " + result.error);
          return;
        }
      }
      const merged = mergeService(base, document);
      if (logWarnings) for (let i = 0; i < merged.warnings.length; i++) this.warn(index, merged.warnings[i]);
      service = merged.service;
      log(LogLevel.Info, "system: service " + base.id + ": fetched configuration applied (" + service.rules.length.toString() + " mapping rules)");
    }
    this.current = withService(this.current as Config, index, service);
  }

  /** only called with services, so only when the configuration has `system` */
  private get system(): SystemConfig {
    return (this.base as Config).system as SystemConfig;
  }

  /** the static definition of service `index` */
  private service(index: i32): Service {
    return ((this.base as Config).services as Array<Service>)[index];
  }

  private warn(index: i32, message: string): void {
    log(LogLevel.Warn, "system: service " + this.service(index).id + ": " + message);
  }
}
