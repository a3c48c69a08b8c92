// The validated configuration (api v1, docs/configuration.md). Built once in on_configure and
// shared read-only by every request of the root context (defect D10: never copied).
import { Glob } from "../glob/glob";
import { Op } from "../ops/types";
import { CompiledPattern } from "../rules/pattern";
import { RuleIndex } from "../rules/index";
import { UpstreamUrl } from "../url/upstream";
import { percentEncodeComponent } from "../url/form";
import { Replies } from "./replies";
import { CacheConfig } from "./cache";
import { FailurePolicy } from "./failure_policy";
import { BackendLimits } from "./backend_limits";

export class Upstream {
  constructor(public name: string, public url: UpstreamUrl, public timeoutMs: u64) {}
}

export class SystemConfig {
  constructor(public name: string | null, public upstream: Upstream, public token: string, public ttlSeconds: u64) {}
}

export class BackendConfig {
  constructor(
    public name: string | null,
    public upstream: Upstream,
    public extensions: Array<string>,
    public cache: CacheConfig | null,
    /** the largest authrep call sent; a larger one is denied locally */
    public limits: BackendLimits,
    /** authrep calls carry the client request's trace headers (backend/trace_context.ts) */
    public propagateTraceContext: bool,
  ) {}
}

export enum SourceKind { Header, QueryString, Filter }

export class LookupSource {
  constructor(public kind: SourceKind, public keys: Array<string>, public path: Array<string>, public ops: Array<Op>) {}
}

export class Credentials {
  constructor(public userKey: Array<LookupSource> | null, public appId: Array<LookupSource> | null, public appKey: Array<LookupSource> | null) {}
}

export class Usage {
  /** percent-encoded once here, not per request */
  encodedName: string;

  constructor(public name: string, public delta: i64) {
    this.encodedName = percentEncodeComponent(name);
  }
}

/** most requests add a few usages: a scan is cheaper than a map up to this many names */
const SCANNED_NAMES: i32 = 16;

/** metric name → delta summed over the rules a request matched, in first-insertion order */
export class Usages {
  names: Array<string> = new Array<string>();
  /** percent-encoded names, as the backend calls send them */
  encodedNames: Array<string> = new Array<string>();
  sums: Array<i64> = new Array<i64>();
  /** name → position, once there are too many names to scan (thousands of matching rules) */
  private positions: Map<string, i32> | null = null;

  add(usage: Usage): void {
    const i = this.find(usage.name);
    if (i >= 0) {
      this.sums[i] = this.sums[i] + usage.delta;
      return;
    }
    this.names.push(usage.name);
    this.encodedNames.push(usage.encodedName);
    this.sums.push(usage.delta);
    let positions = this.positions;
    if (!positions && this.names.length > SCANNED_NAMES) {
      positions = new Map<string, i32>();
      for (let k = 0; k < this.names.length - 1; k++) positions.set(this.names[k], k);
      this.positions = positions;
    }
    if (positions) positions.set(usage.name, this.names.length - 1);
  }

  private find(name: string): i32 {
    const positions = this.positions;
    if (!positions) return this.names.indexOf(name);
    return positions.has(name) ? positions.get(name) : -1;
  }

  addAll(usages: Array<Usage>): void {
    for (let i = 0; i < usages.length; i++) this.add(usages[i]);
  }

  get isEmpty(): bool { return this.names.length == 0; }
}

export class MappingRule {
  constructor(public method: string, public patternText: string, public pattern: CompiledPattern, public usages: Array<Usage>, public last: bool) {}
}

export class Service {
  constructor(
    public id: string,
    public token: string | null,
    public environment: string,
    public authorities: Array<Glob>,
    public credentials: Credentials,
    public rules: Array<MappingRule>,
    /** static `replies` (merged with fetched `error_*` fields once a document arrived) */
    public replies: Replies,
    /** ask the backend for limit headers and pass them on (docs/decision.md §4) */
    public rateLimitHeaders: bool,
    /** the service's own `failure_policy`; null: the top-level one applies */
    public failurePolicy: FailurePolicy | null,
  ) {
    this.ruleIndex = new RuleIndex(rules.map<string>((r: MappingRule): string => r.pattern.pathPrefix));
    this.encodedId = percentEncodeComponent(id);
    this.encodedToken = token != null ? percentEncodeComponent(token) : "";
  }

  /** the id as backend calls carry it */
  encodedId: string;

  /** the token as authrep calls carry it ("" without a token) */
  encodedToken: string;

  /** which rules can match a path; built with the service, so fetched rules are indexed too */
  ruleIndex: RuleIndex;

  /** its own counters (telemetry/metrics.ts), set when the configuration is accepted; -1: none */
  metricSlot: i32 = -1;

  /** the rules the last request matched, and their usages: consecutive requests mostly match the same rules */
  private lastMatched: Array<i32> = new Array<i32>();
  private lastUsages: Usages | null = null;

  /** the summed usages of rules `matched` (in rule order); shared read-only while the next requests match the same rules */
  usagesOf(matched: Array<i32>): Usages {
    const last = this.lastUsages;
    if (last && sameRules(this.lastMatched, matched)) return last;
    const out = new Usages();
    const seen = this.lastMatched;
    seen.length = 0;
    for (let m = 0; m < matched.length; m++) {
      out.addAll(this.rules[matched[m]].usages);
      seen.push(matched[m]);
    }
    this.lastUsages = out;
    return out;
  }
}

function sameRules(a: Array<i32>, b: Array<i32>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (unchecked(a[i]) != unchecked(b[i])) return false;
  return true;
}

export class Config {
  constructor(
    public system: SystemConfig | null,
    public backend: BackendConfig | null,
    public services: Array<Service> | null,
    public passthroughMetadata: bool,
    public failurePolicy: FailurePolicy,
  ) {}

  /** the policy a request of `service` gets when the backend cannot answer */
  failurePolicyOf(service: Service): FailurePolicy {
    const own = service.failurePolicy;
    return own ? own : this.failurePolicy;
  }
}
