// Byte/text conversions. Header values, shared-data keys and bodies are bytes in Envoy and need
// not be UTF-8, so the host keeps bytes and only shows text where it is valid UTF-8.

const encoder = new TextEncoder();
const lossy = new TextDecoder();
const strict = new TextDecoder("utf-8", { fatal: true });

/** a value as tests pass or read it: text when valid UTF-8, raw bytes otherwise */
export type Value = string | Uint8Array;

export function toBytes(value: Value): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/** UTF-8 text, with U+FFFD for invalid sequences (logs, bodies) */
export function toText(bytes: Uint8Array): string {
  return lossy.decode(bytes);
}

export function toValue(bytes: Uint8Array): Value {
  try {
    return strict.decode(bytes);
  } catch {
    return bytes.slice();
  }
}

/** lossless 1-char-per-byte string, usable as a Map key or for ASCII comparisons */
export function binary(value: Value): string {
  return Buffer.from(toBytes(value)).toString("latin1");
}

export function fromBinary(key: string): Uint8Array {
  return new Uint8Array(Buffer.from(key, "latin1"));
}
