// A JSON document tree. Objects keep every member in source order, duplicates included:
// configuration parsing must reject duplicate fields, while the `json` operation takes the
// last occurrence. Numbers keep their lexeme so integer typing (u64, no fraction/exponent)
// is exact.

export enum JsonKind { Null, Bool, Number, String, Array, Object }

export class JsonValue {
  kind: JsonKind;
  bool: bool = false;
  /** string value, or the number's lexeme */
  text: string = "";
  /** array elements, or object member values (parallel to `keys`) */
  items: Array<JsonValue> | null = null;
  /** object member names */
  keys: Array<string> | null = null;

  constructor(kind: JsonKind) { this.kind = kind; }

  static null(): JsonValue { return new JsonValue(JsonKind.Null); }

  static boolean(b: bool): JsonValue {
    const v = new JsonValue(JsonKind.Bool);
    v.bool = b;
    return v;
  }

  static text(kind: JsonKind, s: string): JsonValue {
    const v = new JsonValue(kind);
    v.text = s;
    return v;
  }

  static array(items: Array<JsonValue>): JsonValue {
    const v = new JsonValue(JsonKind.Array);
    v.items = items;
    return v;
  }

  static object(keys: Array<string>, values: Array<JsonValue>): JsonValue {
    const v = new JsonValue(JsonKind.Object);
    v.keys = keys;
    v.items = values;
    return v;
  }

  get isNull(): bool { return this.kind == JsonKind.Null; }
  get isString(): bool { return this.kind == JsonKind.String; }
  get isNumber(): bool { return this.kind == JsonKind.Number; }
  get isArray(): bool { return this.kind == JsonKind.Array; }
  get isObject(): bool { return this.kind == JsonKind.Object; }

  /** number of array elements or object members */
  get length(): i32 {
    const items = this.items;
    return items ? items.length : 0;
  }

  /** element i of an array or value of member i of an object */
  at(i: i32): JsonValue {
    return (this.items as Array<JsonValue>)[i];
  }

  /** name of object member i */
  keyAt(i: i32): string {
    return (this.keys as Array<string>)[i];
  }

  /** the last member with this name (JSON "last one wins"), or null */
  get(name: string): JsonValue | null {
    const keys = this.keys;
    if (!keys) return null;
    for (let i = keys.length - 1; i >= 0; i--) {
      if (keys[i] == name) return this.at(i);
    }
    return null;
  }

  /** the first member name that occurs twice, or null */
  duplicateKey(): string | null {
    const keys = this.keys;
    if (!keys || keys.length < 2) return null;
    const seen = new Set<string>();
    for (let i = 0; i < keys.length; i++) {
      if (seen.has(keys[i])) return keys[i];
      seen.add(keys[i]);
    }
    return null;
  }
}
