// Trace context for the authrep call: the client request's W3C, B3 and x-request-id headers, so
// the backend call joins the client's trace (Envoy does not propagate it to calls made from Wasm).
// Only these names are copied, the first occurrence of each, as the host presents them (lower
// case). Report and portal calls serve many requests or none: they carry no trace headers.

/** the client request's headers, read only when the call is built: the first value of a name, exact and case-sensitive */
export abstract class TraceSource {
  abstract get(name: string): string | null;
}

export const TRACE_HEADERS: Array<string> = [
  "traceparent", "tracestate", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "x-request-id",
];
/**
 * every listed value is under 200 bytes but tracestate, which W3C Trace Context asks to
 * propagate up to 512 characters; a longer value is dropped (cutting it would corrupt it)
 */
export const MAX_TRACE_VALUE_BYTES = 512;

/**
 * appends [name, value] of each trace header in `request` (its first occurrence) whose value is
 * at most MAX_TRACE_VALUE_BYTES of printable ASCII, as all these formats are: no CR, LF, NUL or
 * other control character reaches the call, and length is the byte count
 */
export function appendTraceHeaders(request: TraceSource, out: Array<string>): void {
  for (let n = 0; n < TRACE_HEADERS.length; n++) {
    const name = TRACE_HEADERS[n];
    const value = request.get(name);
    if (value != null && value.length <= MAX_TRACE_VALUE_BYTES && isPrintableAscii(value)) { out.push(name); out.push(value); }
  }
}

function isPrintableAscii(value: string): bool {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
