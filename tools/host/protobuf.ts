// Protobuf encoder for the `metadata` property (docs/configuration.md §8.3): JSON → google.protobuf.Struct /
// envoy.config.core.v3.Metadata bytes, as Envoy serializes jwt_authn payloads. JSON numbers
// become double `number_value`s (so integers arrive as doubles, like in Envoy).

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

/** bytes appended to a buffer that doubles: encoding time stays linear in the message size */
class Writer {
  private buf = new Uint8Array(64);
  private size = 0;

  private push(byte: number): void {
    if (this.size === this.buf.length) this.reserve(1);
    this.buf[this.size++] = byte;
  }

  private reserve(extra: number): void {
    if (this.size + extra <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.size + extra));
    bigger.set(this.buf.subarray(0, this.size));
    this.buf = bigger;
  }

  private append(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.size);
    this.size += data.length;
  }

  varint(n: number): this {
    for (; n > 0x7f; n = Math.floor(n / 128)) this.push((n % 128) | 0x80);
    this.push(n);
    return this;
  }

  key(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE_LEN).varint(data.length);
    this.append(data);
    return this;
  }

  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.key(field, WIRE_FIXED64);
    this.append(b);
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.size);
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** google.protobuf.Value: the set oneof member is always written, even when it is a default */
export function encodeValue(value: unknown): Uint8Array {
  const w = new Writer();
  if (value === null || value === undefined) w.key(1, WIRE_VARINT).varint(0);
  else if (typeof value === "number") w.double(2, value);
  else if (typeof value === "string") w.bytes(3, utf8(value));
  else if (typeof value === "boolean") w.key(4, WIRE_VARINT).varint(value ? 1 : 0);
  else if (Array.isArray(value)) {
    const list = new Writer();
    for (const item of value) list.bytes(1, encodeValue(item));
    w.bytes(6, list.finish());
  } else if (typeof value === "object") w.bytes(5, encodeStruct(value as Record<string, unknown>));
  else throw new TypeError(`cannot encode ${typeof value} as google.protobuf.Value`);
  return w.finish();
}

/** map<string, V> entry: field 1 key, field 2 value */
function mapEntry(key: string, value: Uint8Array): Uint8Array {
  return new Writer().bytes(1, utf8(key)).bytes(2, value).finish();
}

/** google.protobuf.Struct: field 1 `fields`, map<string, Value> */
export function encodeStruct(fields: Record<string, unknown>): Uint8Array {
  const w = new Writer();
  for (const [key, value] of Object.entries(fields)) w.bytes(1, mapEntry(key, encodeValue(value)));
  return w.finish();
}

/** envoy.config.core.v3.Metadata: field 1 `filter_metadata`, map<string, Struct> */
export function encodeMetadata(namespaces: Record<string, Record<string, unknown>>): Uint8Array {
  const w = new Writer();
  for (const [ns, struct] of Object.entries(namespaces)) w.bytes(1, mapEntry(ns, encodeStruct(struct)));
  return w.finish();
}
