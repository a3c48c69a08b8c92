// Request URLs that every WHATWG parsing step leaves as they are, recognised in one scan so the
// common request skips the parser's allocations: http(s), a plain lower-case host or canonical
// dotted-decimal IPv4 address, no port or a non-default one without leading zeros, a path without
// dot segments, backslashes or characters to encode, and a query without any to encode or `#`.
import { isPlainDomain } from "./host";
import { endsInNumber, isSerializedIpv4 } from "./ipv4";
import { parsePort } from "./parser";
import { EncodeSet, needsEncoding } from "./percent";
import { defaultPort } from "./scheme";

/**
 * When `scheme://authority` + `path` normalises to itself: the offset of the `?` starting the
 * query, or the path's length without one. -1 otherwise (the parser must run).
 */
export function plainRequestPathEnd(scheme: string, authority: string, path: string): i32 {
  const port = scheme == "https" || scheme == "http" ? defaultPort(scheme) : -1;
  if (port < 0 || !isPlainAuthority(authority, port)) return -1;
  return plainPathEnd(path);
}

function isPlainAuthority(authority: string, defaultPortNumber: i32): bool {
  let hostEnd = authority.indexOf(":");
  if (hostEnd < 0) hostEnd = authority.length;
  else if (!isPlainPort(authority, hostEnd + 1, defaultPortNumber)) return false;
  if (!isPlainDomain(authority, 0, hostEnd)) return false;
  // an address is plain when the IPv4 serialiser writes it back unchanged
  return !endsInNumber(authority, 0, hostEnd) || isSerializedIpv4(authority, 0, hostEnd);
}

/** digits without a leading zero (which the serialiser drops), not the scheme's default port */
function isPlainPort(s: string, start: i32, defaultPortNumber: i32): bool {
  const port = parsePort(s, start, s.length);
  return port > 0 && s.charCodeAt(start) != 0x30 && port != defaultPortNumber;
}

/**
 * -1 when the path or query would change; otherwise the offset of the `?` starting the query,
 * or the path's length when there is none
 */
function plainPathEnd(path: string): i32 {
  if (path.length == 0 || path.charCodeAt(0) != 0x2F) return -1;
  let query = -1;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (query >= 0) {
      if (c == 0x23 || needsEncoding(c, EncodeSet.SpecialQuery)) return -1;
    } else if (c == 0x3F) {
      query = i;
    } else if (needsEncoding(c, EncodeSet.Path) || c == 0x5C || isDotSegmentStart(path, i)) {
      return -1;
    }
  }
  return query >= 0 ? query : path.length;
}

/** `.` or `%2e` right after a `/` may start a dot segment */
function isDotSegmentStart(path: string, i: i32): bool {
  if (path.charCodeAt(i - 1) != 0x2F) return false;
  const c = path.charCodeAt(i);
  return c == 0x2E || (c == 0x25 && path.charCodeAt(i + 1) == 0x32 && (path.charCodeAt(i + 2) | 0x20) == 0x65);
}
