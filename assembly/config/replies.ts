// Client-facing error replies per service (docs/configuration.md §7.2). A reply is layered field by
// field: the static `replies` of the service, then the fetched `error_*` fields, then the
// reference's fixed status and body (pipeline/reply.ts). Unset fields are 0 / null.
import { JsonValue } from "../json/value";
import { ConfigReader, fieldPath } from "../json/reader";

export enum ReplyKind { AuthMissing, AuthFailed, NoMatch, LimitsExceeded }

/** names in ReplyKind order: the static `replies` keys and the `error_*` suffixes */
export const REPLY_NAMES: Array<string> = ["auth_missing", "auth_failed", "no_match", "limits_exceeded"];
const REPLY_FIELDS: Array<string> = ["status", "content_type", "body"];
const MIN_STATUS: u64 = 200;
const MAX_STATUS: u64 = 599;

export class ReplySpec {
  constructor(public status: u32, public contentType: string | null, public body: string | null) {}

  /** this reply's fields where set, else `under`'s */
  over(under: ReplySpec): ReplySpec {
    const type = this.contentType;
    const body = this.body;
    return new ReplySpec(this.status != 0 ? this.status : under.status, type != null ? type : under.contentType, body != null ? body : under.body);
  }
}

export class Replies {
  /** one spec per ReplyKind */
  constructor(public specs: Array<ReplySpec>) {}

  static unset(): Replies {
    const specs = new Array<ReplySpec>();
    for (let i = 0; i < REPLY_NAMES.length; i++) specs.push(new ReplySpec(0, null, null));
    return new Replies(specs);
  }

  get(kind: ReplyKind): ReplySpec { return this.specs[<i32>kind]; }

  over(under: Replies): Replies {
    const specs = new Array<ReplySpec>();
    for (let i = 0; i < this.specs.length; i++) specs.push(this.specs[i].over(under.specs[i]));
    return new Replies(specs);
  }
}

/** the static service field `replies` */
export function parseReplies(v: JsonValue, path: string, r: ConfigReader): Replies {
  const replies = Replies.unset();
  const obj = r.object(v, path);
  if (!obj) return replies;
  r.onlyFields(obj, path, REPLY_NAMES);
  for (let i = 0; i < REPLY_NAMES.length && !r.failed; i++) {
    const spec = r.nullable(obj, REPLY_NAMES[i]);
    if (spec) replies.specs[i] = parseSpec(spec, fieldPath(path, REPLY_NAMES[i]), r);
  }
  return replies;
}

function parseSpec(v: JsonValue, path: string, r: ConfigReader): ReplySpec {
  const obj = r.object(v, path);
  if (!obj) return new ReplySpec(0, null, null);
  r.onlyFields(obj, path, REPLY_FIELDS);
  const body = r.nullable(obj, "body");
  return new ReplySpec(
    readStatus(r.nullable(obj, "status"), fieldPath(path, "status"), r),
    readContentType(r.nullable(obj, "content_type"), fieldPath(path, "content_type"), r),
    body ? r.str(body, fieldPath(path, "body")) : null,
  );
}

/** a local-reply status (200–599), or 0 when absent */
export function readStatus(v: JsonValue | null, path: string, r: ConfigReader): u32 {
  return v ? <u32>r.unsigned(v, path, MAX_STATUS, MIN_STATUS) : 0;
}

/** a non-empty header value without control characters, or null when absent */
export function readContentType(v: JsonValue | null, path: string, r: ConfigReader): string | null {
  if (!v) return null;
  const text = r.str(v, path);
  if (r.failed) return null;
  if (text.length == 0) r.fail(path, "expected a content type, found an empty string");
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) {
      r.fail(path, "control characters are not allowed in a header value");
      break;
    }
  }
  return text;
}
