// Query-string decoding for the `query_string` credential source (configuration §9.4) and
// percent-encoding of authrep parameter values (authorization-flow §5.2).
import { ByteBuffer } from "./buffer";
import { EncodeSet, percentDecodeInto, percentEncode } from "./percent";

/**
 * application/x-www-form-urlencoded parsing, one pair at a time: `&`-separated segments (empty
 * ones skipped), each split at its first `=`; `+` and `%XX` decoded, invalid UTF-8 replaced by
 * U+FFFD. Names are compared in place and values decoded only when asked, so a credential lookup
 * allocates nothing but the value it returns.
 */
export class FormCursor {
  private start: i32 = 0;
  private end: i32 = -1;
  /** end of the name: the segment's first `=`, or its end */
  private equals: i32 = 0;

  constructor(private query: string) {}

  /** back to the start, over `query` */
  reset(query: string): FormCursor {
    this.query = query;
    this.start = 0;
    this.end = -1;
    this.equals = 0;
    return this;
  }

  /** moves to the next non-empty segment; false after the last */
  next(): bool {
    const q = this.query;
    const n = q.length;
    let start = this.end + 1;
    while (start < n && q.charCodeAt(start) == 0x26) start++;
    if (start >= n) return false;
    let end = start;
    let equals = -1;
    for (; end < n; end++) {
      const c = q.charCodeAt(end);
      if (c == 0x26) break;
      if (c == 0x3D && equals < 0) equals = end;
    }
    this.start = start;
    this.end = end;
    this.equals = equals < 0 ? end : equals;
    return true;
  }

  name(): string {
    return formDecode(this.query, this.start, this.equals);
  }

  /** "" when the segment has no `=` */
  value(): string {
    return this.equals < this.end ? formDecode(this.query, this.equals + 1, this.end) : "";
  }

  /** whether the decoded name is `name`; decodes only a name that needs it */
  nameIs(name: string): bool {
    const q = this.query;
    const start = this.start;
    const length = this.equals - start;
    if (!isDecoded(q, start, this.equals)) return this.name() == name;
    if (length != name.length) return false;
    return memory.compare(changetype<usize>(q) + (<usize>start << 1), changetype<usize>(name), <usize>length << 1) == 0;
  }
}

/** the decoded value of the first pair whose decoded name is `name`, or null */
/** `formValue`'s cursor, reused: a lookup calls nothing that looks up again */
const CURSOR = new FormCursor("");

export function formValue(query: string, name: string): string | null {
  const cursor = CURSOR.reset(query);
  while (cursor.next()) if (cursor.nameIs(name)) return cursor.value();
  return null;
}

function formDecode(s: string, start: i32, end: i32): string {
  if (isDecoded(s, start, end)) return s.substring(start, end);
  const bytes = new ByteBuffer(end - start);
  percentDecodeInto(bytes, s, start, end, true);
  return bytes.toUtf8Lossy();
}

/** ASCII without `%` or `+`: decoding leaves it as it is (the usual parameter) */
function isDecoded(s: string, start: i32, end: i32): bool {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c == 0x25 || c == 0x2B) return false;
  }
  return true;
}

/** Each UTF-8 byte outside A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex). */
export function percentEncodeComponent(value: string): string {
  return percentEncode(value, 0, value.length, EncodeSet.Component);
}
