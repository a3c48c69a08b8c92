// Query-string decoding for the `query_string` credential source (configuration §9.4) and
// percent-encoding of authrep parameter values (authorization-flow §5.2).
import { ByteBuffer } from "./buffer";
import { EncodeSet, percentDecodeInto, percentEncode } from "./percent";

/**
 * application/x-www-form-urlencoded parsing: `&`-separated segments (empty ones skipped),
 * each split at its first `=`; `+` and `%XX` decoded, invalid UTF-8 replaced by U+FFFD.
 * Returns [name0, value0, name1, value1, ...] in query order.
 */
export function formDecodePairs(query: string): Array<string> {
  const pairs = new Array<string>();
  const n = query.length;
  let start = 0;
  while (start < n) {
    let end = start;
    let equals = -1;
    for (; end < n; end++) {
      const c = query.charCodeAt(end);
      if (c == 0x26) break;
      if (c == 0x3D && equals < 0) equals = end;
    }
    if (end > start) {
      pairs.push(formDecode(query, start, equals < 0 ? end : equals));
      pairs.push(equals < 0 ? "" : formDecode(query, equals + 1, end));
    }
    start = end + 1;
  }
  return pairs;
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

/** ASCII without `%` or `+`: every name and value of the query is as written */
export function isPlainForm(query: string): bool {
  return isDecoded(query, 0, query.length);
}

/**
 * the value of the first pair named `name` in a plain query (`isPlainForm`), as
 * `formDecodePairs` would give it, found in place: only the value is copied
 */
export function plainFormValue(query: string, name: string): string | null {
  const n = query.length;
  let start = 0;
  while (start < n) {
    let end = start;
    let equals = -1;
    for (; end < n; end++) {
      const c = query.charCodeAt(end);
      if (c == 0x26) break;
      if (c == 0x3D && equals < 0) equals = end;
    }
    const nameEnd = equals < 0 ? end : equals;
    if (end > start && nameEnd - start == name.length
      && memory.compare(changetype<usize>(query) + (<usize>start << 1), changetype<usize>(name), <usize>name.length << 1) == 0) {
      return equals < 0 ? "" : query.substring(equals + 1, end);
    }
    start = end + 1;
  }
  return null;
}

/** Each UTF-8 byte outside A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex). */
export function percentEncodeComponent(value: string): string {
  return percentEncode(value, 0, value.length, EncodeSet.Component);
}
