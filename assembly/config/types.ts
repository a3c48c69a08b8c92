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
    /** authrep calls carry the client request's trace headers (pipeline/trace.ts) */
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
