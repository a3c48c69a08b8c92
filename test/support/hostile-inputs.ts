// Hostile requests: each puts about `n` bytes where one operation does its worst — `replace` with
// a match at every character, `split` into thousands of values each run through `select`, base64
// and JSON with an escape every two characters, percent-decoding, thousands of query parameters,
// a host of many labels of percent-encoded CJK characters, a JWT payload in the filter metadata.
// Every example meets every case: what does not apply to its credentials still runs URL
// normalisation, service selection and the lookups before it is denied.

export interface HostileRequest {
  authority: string;
  path: string;
  headers: [string, string][];
  /** dynamic metadata (in-process only: in Envoy it comes from jwt_authn, see test/e2e/hostile) */
  metadata?: Record<string, Record<string, unknown>>;
}

export interface HostileCase {
  name: string;
  build(n: number): HostileRequest;
}

const AUTHORITY = "api.example.com";
const CJK = "%E4%B8%AD"; // 中, percent-encoded
/** a DNS label of 7 percent-encoded CJK characters (63 bytes encoded) */
const CJK_LABEL = CJK.repeat(7);

const request = (o: Partial<HostileRequest>): HostileRequest => ({ authority: AUTHORITY, path: "/", headers: [], ...o });
const authorization = (value: string) => request({ headers: [["authorization", value]] });
const count = (n: number, unit: string) => Math.max(1, Math.floor(n / unit.length));

/** a JSON object whose `azp` (and `client_id`) is `n` bytes of `\n` escapes: the JSON reader's worst case */
export function escapedPayloadJson(n: number): string {
  const value = "\\n".repeat(count(n, "\\n"));
  return `{"azp":"${value}","client_id":"${value}","aud":"orders-api"}`;
}

/** the same payload as a value: what jwt_authn puts in the metadata */
export const escapedPayload = (n: number) => JSON.parse(escapedPayloadJson(n)) as Record<string, unknown>;

export const HOSTILE_CASES: HostileCase[] = [
  { name: "replace: scheme of B", build: (n) => authorization(`${"B".repeat(n)} tok`) },
  { name: "replace: scheme of S", build: (n) => authorization(`${"S".repeat(n)} tok`) },
  { name: "split + select: thousands of parameters", build: (n) => authorization(`Signature ${'keyId="k",'.repeat(count(n, 'keyId="k",'))}`) },
  {
    name: "base64 + split: Basic credentials of colons",
    build: (n) => authorization(`Basic ${Buffer.from(`aladdin:${":".repeat(Math.floor((n * 3) / 4))}`).toString("base64")}`),
  },
  {
    name: "base64 + JSON: x-jwt-payload of escapes",
    build: (n) => request({ headers: [["x-jwt-payload", Buffer.from(escapedPayloadJson(Math.floor((n * 3) / 8))).toString("base64url")]] }),
  },
  {
    name: "JSON metadata: jwt_authn payload of newlines",
    build: (n) => request({ metadata: { "envoy.filters.http.jwt_authn": { payload: escapedPayload(Math.floor(n / 2)) } } }),
  },
  { name: "percent-decoding: query value", build: (n) => request({ path: `/?api_key=${CJK.repeat(count(n, CJK))}` }) },
  { name: "percent-decoding: path", build: (n) => request({ path: `/${"%41".repeat(count(n, "%41"))}?api_key=k` }) },
  { name: "query string: thousands of parameters", build: (n) => request({ path: `/?${"a=1&".repeat(count(n, "a=1&"))}api_key=k` }) },
  {
    name: "host: labels of percent-encoded CJK",
    build: (n) => request({ authority: Array.from({ length: count(n, `${CJK_LABEL}.`) }, () => CJK_LABEL).join(".") }),
  },
];

/** the request's headers as the in-process host presents them: pseudo headers first */
export const headerList = (r: HostileRequest): [string, string][] =>
  [[":authority", r.authority], [":path", r.path], [":method", "GET"], [":scheme", "https"], ...r.headers];

/** the input's size: header bytes as Envoy counts them against `max_request_headers_kb`, and the metadata */
export const inputBytes = (r: HostileRequest) =>
  headerList(r).reduce((n, [k, v]) => n + k.length + v.length, 0) + (r.metadata ? JSON.stringify(r.metadata).length : 0);
