// Basic URL parser of the URL Standard for absolute URLs (no base URL, no state override),
// written as a scan over delimiters rather than a character state machine. The fragment is
// parsed past and dropped: nothing downstream uses it.
import { ByteBuffer } from "./buffer";
import { parseHost } from "./host";
import { isDriveLetter, parsePath } from "./path";
import { EncodeSet, percentEncode } from "./percent";
import { defaultPort, isSpecialScheme, schemeEnd } from "./scheme";

export class ParsedUrl {
  scheme: string = "";
  username: string = "";
  password: string = "";
  /** null when the URL has no authority (`mailto:x`); "" for `file:///x` */
  host: string | null = null;
  /** -1 when absent or the scheme's default */
  port: i32 = -1;
  /** serialised path: "/a/b", or an opaque path ("x@y" of `mailto:x@y`), possibly empty */
  path: string = "";
  /** null when there is no `?` */
  query: string | null = null;
  /** "" on success, otherwise why parsing failed (wording of the Rust `url` crate) */
  error: string = "";

  /** `userinfo@host:port` as the URL serialiser writes it; "" without a host. */
  authority(): string {
    const host = this.host;
    if (host === null) return "";
    let out = host;
    if (this.username.length > 0 || this.password.length > 0) {
      out = this.username + (this.password.length > 0 ? ":" + this.password : "") + "@" + out;
    }
    return this.port >= 0 ? out + ":" + this.port.toString() : out;
  }

  /** Marks the URL as failed; returns -1 so parsing steps can `return url.fail(...)`. */
  fail(error: string): i32 {
    this.error = error;
    return -1;
  }
}

export function parseUrl(input: string): ParsedUrl {
  const url = new ParsedUrl();
  const s = cleanInput(input);
  const colon = schemeEnd(s);
  if (colon < 0) {
    url.fail("relative URL without a base");
    return url;
  }
  url.scheme = s.substring(0, colon).toLowerCase(); // the scheme is ASCII
  const special = isSpecialScheme(url.scheme);
  const isFile = url.scheme == "file";
  let p = colon + 1;
  let pathAt = -1; // where the path state starts; -1 when there is no hierarchical path
  if (isFile) {
    p = pathAt = parseFileHost(url, s, p);
  } else if (special) {
    while (isSlash(s.charCodeAt(p), true)) p++; // any mix of `/` and `\` may follow `http:`
    p = parseAuthority(url, s, p, true);
    if (p >= 0) pathAt = isSlash(s.charCodeAt(p), true) ? p + 1 : p;
  } else if (s.charCodeAt(p) == 0x2F && s.charCodeAt(p + 1) == 0x2F) {
    p = parseAuthority(url, s, p + 2, false);
    if (p >= 0 && s.charCodeAt(p) == 0x2F) pathAt = p + 1;
  } else if (s.charCodeAt(p) == 0x2F) {
    pathAt = p + 1;
  } else {
    p = parseOpaquePath(url, s, p);
  }
  if (p < 0) return url;
  if (pathAt >= 0) {
    const out = new ByteBuffer(s.length - pathAt + 1);
    p = parsePath(s, pathAt, special, isFile, out);
    url.path = out.toAscii();
  }
  if (s.charCodeAt(p) == 0x3F) {
    let end = s.indexOf("#", p + 1);
    if (end < 0) end = s.length;
    url.query = percentEncode(s, p + 1, end, special ? EncodeSet.SpecialQuery : EncodeSet.Query);
  }
  return url;
}

/** Strips leading/trailing C0 controls and spaces and removes every tab, LF and CR. */
function cleanInput(input: string): string {
  let start = 0, end = input.length;
  while (start < end && input.charCodeAt(start) <= 0x20) start++;
  while (end > start && input.charCodeAt(end - 1) <= 0x20) end--;
  let s = input.substring(start, end);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x09 || c == 0x0A || c == 0x0D) return s.replaceAll("\t", "").replaceAll("\n", "").replaceAll("\r", "");
  }
  return s;
}

function isSlash(c: i32, special: bool): bool {
  return c == 0x2F || (special && c == 0x5C);
}

/** Does c end the authority (and the host and port inside it)? */
function endsAuthority(c: i32, special: bool): bool {
  return c == -1 || isSlash(c, special) || c == 0x3F || c == 0x23;
}

/**
 * Authority state, host state and port state: `userinfo@` up to the last `@`, then the host up
 * to a `:` outside brackets, then digits. Returns the offset just after the authority, or -1.
 */
function parseAuthority(url: ParsedUrl, s: string, start: i32, special: bool): i32 {
  let end = start;
  while (!endsAuthority(s.charCodeAt(end), special)) end++;
  let hostStart = start;
  const at = s.lastIndexOf("@", end - 1);
  if (at >= start) {
    let colon = s.indexOf(":", start);
    if (colon > at) colon = -1;
    url.username = percentEncode(s, start, colon >= 0 ? colon : at, EncodeSet.Userinfo);
    if (colon >= 0) url.password = percentEncode(s, colon + 1, at, EncodeSet.Userinfo);
    hostStart = at + 1;
    if (hostStart == end) return url.fail("empty host");
  }
  let hostEnd = hostStart;
  let inBrackets = false;
  for (; hostEnd < end; hostEnd++) {
    const c = s.charCodeAt(hostEnd);
    if (c == 0x3A && !inBrackets) break;
    if (c == 0x5B) inBrackets = true;
    else if (c == 0x5D) inBrackets = false;
  }
  if (hostEnd == hostStart && (special || hostEnd < end)) return url.fail("empty host");
  const host = parseHost(s, hostStart, hostEnd, special);
  if (host.value === null) return url.fail(host.error);
  url.host = host.value;
  if (hostEnd < end) {
    const port = parsePort(s, hostEnd + 1, end);
    if (port < -1) return url.fail("invalid port number");
    url.port = port == defaultPort(url.scheme) ? -1 : port;
  }
  return end;
}

/** Port digits of s[start, end): -1 when empty, -2 when not a number or above 65535. */
export function parsePort(s: string, start: i32, end: i32): i32 {
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -2;
    value = value * 10 + (c - 0x30);
    if (value > 65535) return -2;
  }
  return start < end ? value : -1;
}

/**
 * The file, file slash and file host states: `file:` URLs always have a host, empty unless
 * written after two slashes (and not `localhost`). Returns where the path state starts, or -1.
 */
function parseFileHost(url: ParsedUrl, s: string, p: i32): i32 {
  url.host = "";
  if (!isSlash(s.charCodeAt(p), true)) return p;
  if (!isSlash(s.charCodeAt(p + 1), true)) return p + 1;
  const start = p + 2;
  let end = start;
  while (!endsAuthority(s.charCodeAt(end), true)) end++;
  // `file://C:/x`: a drive letter is not a host; the path state reads it again
  if (end - start == 2 && isDriveLetter(s.charCodeAt(start), s.charCodeAt(start + 1), true)) return start;
  if (end > start) {
    const host = parseHost(s, start, end, true);
    const value = host.value;
    if (value === null) return url.fail(host.error);
    url.host = value == "localhost" ? "" : value;
  }
  return isSlash(s.charCodeAt(end), true) ? end + 1 : end;
}

/** Path of a URL like `mailto:x@y`: kept as is except C0 controls and non-ASCII. */
function parseOpaquePath(url: ParsedUrl, s: string, start: i32): i32 {
  let end = start;
  while (end < s.length && s.charCodeAt(end) != 0x3F && s.charCodeAt(end) != 0x23) end++;
  url.path = percentEncode(s, start, end, EncodeSet.C0Control);
  return end;
}
