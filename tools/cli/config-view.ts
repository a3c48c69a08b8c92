// The configuration as plain data, to describe what the module's trace refers to by position
// (services, lookup sources, operations, mapping rules). It is read only once the module has
// accepted the text, so shapes are trusted here; the module alone decides validity. Sources may
// use the positional list form (docs/configuration.md §8.2).

export const CREDENTIAL_KINDS = ["user_key", "app_id", "app_key"] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

type Json = any;

export interface SourceView {
  type: string;
  keys: string[];
  path: string[];
  ops: Json[];
}

export interface RuleView {
  method: string;
  pattern: string;
  usages: { name: string; delta: number }[];
  last: boolean;
}

export interface ServiceView {
  id: string;
  authorities: string[];
  credentials: Partial<Record<CredentialKind, SourceView[]>>;
  rules: RuleView[];
}

export interface ConfigView {
  services: ServiceView[];
  /** backend.upstream.name: the Envoy cluster of the authrep call */
  backendCluster?: string;
}

export function viewConfig(text: string): ConfigView {
  const raw = JSON.parse(text);
  return {
    services: (raw.services ?? []).map(viewService),
    backendCluster: raw.backend?.upstream?.name,
  };
}

function viewService(s: Json): ServiceView {
  const credentials: ServiceView["credentials"] = {};
  for (const kind of CREDENTIAL_KINDS) {
    if (s.credentials[kind]) credentials[kind] = s.credentials[kind].map(viewSource);
  }
  return {
    id: s.id,
    authorities: s.authorities,
    credentials,
    rules: (s.mapping_rules ?? []).map((r: Json) => ({ method: r.method, pattern: r.pattern, usages: r.usages, last: r.last === true })),
  };
}

/** field order of the positional form of each source type */
const POSITIONAL: Record<string, string[]> = { header: ["keys", "ops"], query_string: ["keys", "ops"], filter: ["path", "keys", "ops"] };

function viewSource(source: Json): SourceView {
  const [type, body] = Object.entries(source)[0] as [string, Json];
  const field = (name: string) => (Array.isArray(body) ? body[POSITIONAL[type].indexOf(name)] : body[name]);
  return { type, keys: field("keys") ?? [], path: field("path") ?? [], ops: field("ops") ?? [] };
}

export function opName(op: Json): string {
  return typeof op === "string" ? op : Object.keys(op)[0];
}

/** `header x-api-key | split → last` */
export function describeSource(s: SourceView): string {
  const where = s.type === "filter" ? `filter ${s.path.join("/")} keys ${s.keys.join(",")}` : `${s.type} ${s.keys.join(",")}`;
  return s.ops.length === 0 ? where : `${where} | ${s.ops.map(opName).join(" → ")}`;
}

export function describeRule(r: RuleView): string {
  const usages = r.usages.map((u) => `${u.name} ${u.delta}`).join(", ");
  return `${r.method} ${r.pattern} → ${usages || "(no usages)"}${r.last ? " [last]" : ""}`;
}
