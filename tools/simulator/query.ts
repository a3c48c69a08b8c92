// Query-string and form parsing with the rules of Rack 2.2 (tools/simulator/README.md), which is what
// apisonator runs on: `&` and `;` separate pairs, `+` is a space, `a[b]=1` nests, the last value
// of a repeated key wins, and a key used both as list and hash is a 400.
import { errors } from "./errors";

export type Param = string | null | Param[] | ParamHash;
/** A Map keeps insertion order even for numeric keys (`transactions[0]`), like a Ruby Hash. */
export type ParamHash = Map<string, Param>;

const SEPARATOR = /[&;] */;
const BAD_PERCENT = /%(?![0-9a-fA-F]{2})/;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossyUtf8 = new TextDecoder("utf-8");

export function isHash(value: Param | undefined): value is ParamHash {
  return value instanceof Map;
}

/**
 * Parses `a=1&b[c]=2`. Input characters below 256 are taken as bytes (Node hands URLs and
 * headers over as latin1), so `%XX` escapes and raw bytes decode alike.
 * Throws 400 on bad %-encoding or a list/hash conflict, then 422 if any name or value is not UTF-8.
 */
export function parseQuery(query: string): ParamHash {
  const params: ParamHash = new Map();
  let validUtf8 = true;
  const decode = (text: string): string => {
    const { value, valid } = unescape(text);
    validUtf8 &&= valid;
    return value;
  };
  for (const pair of query.split(SEPARATOR)) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    normalize(params, name, eq < 0 ? null : decode(pair.slice(eq + 1)));
  }
  if (!validUtf8) throw errors.notValidData();
  return params;
}

function unescape(text: string): { value: string; valid: boolean } {
  if (BAD_PERCENT.test(text)) throw errors.invalidPercentEncoding();
  if (/^[\x00-\x7f]*$/.test(text) && !/[%+]/.test(text)) return { value: text, valid: true };
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) bytes.push(0x20);
    else if (c === 0x25) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x100) bytes.push(c);
    else bytes.push(...Buffer.from(text[i]!, "utf8"));
  }
  const buffer = Uint8Array.from(bytes);
  try {
    return { value: utf8.decode(buffer), valid: true };
  } catch {
    return { value: lossyUtf8.decode(buffer), valid: false };
  }
}

/** Rack 2.2 `normalize_params`, transcribed; returns what Rack returns (used for `x[]` nesting). */
function normalize(params: ParamHash, name: string, value: string | null): Param | undefined {
  const match = /^[[\]]*([^[\]]+)\]*/.exec(name);
  const key = match?.[1] ?? "";
  const after = match ? name.slice(match[0].length) : "";
  if (key === "") return name === "[]" && value !== null ? [value] : undefined;

  if (after === "") params.set(key, value);
  else if (after === "[") params.set(name, value);
  else if (after === "[]") arrayAt(params, key).push(value);
  else {
    const arrayChild = /^\[\]\[([^[\]]+)\]$/.exec(after) ?? /^\[\](.+)$/.exec(after);
    if (arrayChild) {
      const childKey = arrayChild[1]!;
      const list = arrayAt(params, key);
      const last = list[list.length - 1];
      if (isHash(last) && !hasNestedKey(last, childKey)) normalize(last, childKey, value);
      else list.push(normalize(new Map(), childKey, value) ?? null);
    } else {
      const child = params.get(key) ?? new Map<string, Param>();
      if (!isHash(child)) throw errors.badRequest();
      params.set(key, normalize(child, after, value) ?? null);
    }
  }
  return params;
}

function arrayAt(params: ParamHash, key: string): Param[] {
  const current = params.get(key) ?? [];
  if (!Array.isArray(current)) throw errors.badRequest();
  params.set(key, current);
  return current;
}

function hasNestedKey(hash: ParamHash, key: string): boolean {
  if (key.includes("[]")) return false;
  let node: Param | undefined = hash;
  for (const part of key.split(/[[\]]+/)) {
    if (part === "") continue;
    if (!isHash(node) || !node.has(part)) return false;
    node = node.get(part);
  }
  return true;
}

/** The string value of a parameter, or undefined when absent, valueless or nested. */
export function stringParam(params: ParamHash, key: string): string | undefined {
  const value = params.get(key);
  return typeof value === "string" ? value : undefined;
}

/** Plain JSON form of parsed parameters, for the request log and the control API. */
export function toPlain(value: Param): unknown {
  if (isHash(value)) return Object.fromEntries([...value].map(([k, v]) => [k, toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}
