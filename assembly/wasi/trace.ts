// The harness's decision trace (a document with "trace": true): decide's hooks recorded as they
// come, written as the result's "trace" member. A member is present only when decide reached
// that step: "authority" and "service" once the URL is read, "lookups" and "credentials" once a
// service is chosen, "rules" and "usages" once credentials were found.
import { Config, LookupSource, Service } from "../config/types";
import { addJsonString } from "../json/write";
import { CredentialKind, ResolvedCredentials } from "../pipeline/credentials";
import { DecisionTrace } from "../pipeline/trace";
import { Usages } from "../pipeline/usages";
import { StringBuilder } from "../text/builder";

/**
 * Stacks can repeat a long value up to the operations' caps after every operation: past this
 * many recorded code units a lookup keeps its shape but its stacks are left out ("truncated").
 */
const MAX_RECORDED_UNITS: i64 = 1 << 22;

class Lookup {
  /** stacks[0] is what the source found, stacks[k] the stack after operation k */
  stacks: Array<Array<string>> = [];
  /** the operation that failed (0-based), -1: none did */
  failedOp: i32 = -1;
  truncated: bool = false;

  constructor(public kind: string, public source: i32, public found: bool) {}
}

export class RecordedTrace extends DecisionTrace {
  private authority: string | null = null;
  private serviceIndex: i32 = -1;
  private pattern: i32 = -1;
  private lookups: Array<Lookup> = [];
  private found: ResolvedCredentials | null = null;
  private matched: Array<i32> = [];
  private counted: Usages | null = null;
  private recordedUnits: i64 = 0;

  constructor(private config: Config) { super(); }

  service(authority: string, index: i32, pattern: i32): void {
    this.authority = authority;
    this.serviceIndex = index;
    this.pattern = pattern;
  }

  lookup(source: LookupSource, stack: Array<string> | null): void {
    const creds = this.selected().credentials;
    let kind = "user_key";
    let index = listIndex(creds.userKey, source);
    if (index < 0) {
      kind = "app_id";
      index = listIndex(creds.appId, source);
    }
    if (index < 0) {
      kind = "app_key";
      index = listIndex(creds.appKey, source);
    }
    const entry = new Lookup(kind, index, stack != null);
    this.lookups.push(entry);
    if (stack) this.record(entry, stack);
  }

  afterOp(index: i32, stack: Array<string> | null): void {
    const entry = this.lookups[this.lookups.length - 1];
    if (stack) this.record(entry, stack);
    else entry.failedOp = index;
  }

  credentials(found: ResolvedCredentials): void {
    this.found = found;
  }

  rule(index: i32): void {
    this.matched.push(index);
  }

  usages(usages: Usages): void {
    this.counted = usages;
  }

  /** a copy: the next operation may modify the stack in place */
  private record(entry: Lookup, stack: Array<string>): void {
    if (entry.truncated) return;
    for (let i = 0; i < stack.length; i++) this.recordedUnits += stack[i].length + 1;
    if (this.recordedUnits > MAX_RECORDED_UNITS) entry.truncated = true;
    else entry.stacks.push(stack.slice());
  }

  private selected(): Service {
    return this.config.services![this.serviceIndex];
  }

  toJson(out: StringBuilder): StringBuilder {
    out.addCode(0x7b);
    const authority = this.authority;
    if (authority == null) return out.addCode(0x7d);
    addJsonString(out.add("\"authority\":"), authority);
    if (this.serviceIndex < 0) return out.add(",\"service\":null}");
    out.add(",\"service\":{\"index\":").addInt(this.serviceIndex).add(",\"id\":");
    addJsonString(out, this.selected().id).add(",\"pattern\":").addInt(this.pattern).addCode(0x7d);
    out.add(",\"lookups\":[");
    for (let i = 0; i < this.lookups.length; i++) addLookup(i > 0 ? out.addCode(0x2c) : out, this.lookups[i]);
    addCredentials(out.add("],\"credentials\":"), this.found!);
    const usages = this.counted;
    if (!usages) return out.addCode(0x7d);
    out.add(",\"rules\":[");
    for (let i = 0; i < this.matched.length; i++) (i > 0 ? out.addCode(0x2c) : out).addInt(this.matched[i]);
    out.add("],\"usages\":[");
    for (let i = 0; i < usages.names.length; i++) {
      addJsonString((i > 0 ? out.addCode(0x2c) : out).addCode(0x5b), usages.names[i]).addCode(0x2c).addInt(usages.sums[i]).addCode(0x5d);
    }
    return out.add("]}");
  }
}

function listIndex(list: Array<LookupSource> | null, source: LookupSource): i32 {
  return list ? list.indexOf(source) : -1;
}

function addLookup(out: StringBuilder, l: Lookup): void {
  addJsonString(out.add("{\"kind\":"), l.kind).add(",\"source\":").addInt(l.source).add(",\"found\":").add(l.found ? "true" : "false");
  out.add(",\"stacks\":[");
  for (let i = 0; i < l.stacks.length; i++) addStack(i > 0 ? out.addCode(0x2c) : out, l.stacks[i]);
  out.add("],\"failed_op\":");
  if (l.failedOp < 0) out.add("null");
  else out.addInt(l.failedOp);
  if (l.truncated) out.add(",\"truncated\":true");
  out.addCode(0x7d);
}

function addStack(out: StringBuilder, stack: Array<string>): void {
  out.addCode(0x5b);
  for (let i = 0; i < stack.length; i++) addJsonString(i > 0 ? out.addCode(0x2c) : out, stack[i]);
  out.addCode(0x5d);
}

/** null when none were found */
function addCredentials(out: StringBuilder, c: ResolvedCredentials): void {
  if (c.kind == CredentialKind.None) {
    out.add("null");
    return;
  }
  if (c.kind == CredentialKind.UserKey) {
    addJsonString(out.add("{\"user_key\":"), c.userKey).addCode(0x7d);
    return;
  }
  addJsonString(out.add("{\"app_id\":"), c.appId).add(",\"app_key\":");
  const key = c.appKey;
  if (key != null) addJsonString(out, key);
  else out.add("null");
  out.addCode(0x7d);
}
