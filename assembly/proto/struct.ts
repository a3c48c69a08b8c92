// google.protobuf.Struct and envoy.config.core.v3.Metadata decoding into JsonValue trees
// (docs/design.md §2). Decoding follows prost, the reference's decoder: unknown fields of
// every wire type are skipped, a known field with the wrong wire type fails (except map fields:
// prost reads them as length-delimited whatever their wire type), a later map entry
// replaces an earlier one with the same key, a repeated embedded message merges into the
// earlier one, a missing map key is "" and a missing Value is null. Returns null for anything
// prost would refuse; never traps.
import { JsonKind, JsonValue } from "../json/value";
import { FIXED64, LENGTH_DELIMITED, MAX_NESTING, VARINT, WireReader } from "./wire";

/** a google.protobuf.Struct message → JSON object (numbers keep a re-parsable lexeme) */
export function decodeStruct(ptr: usize, len: usize): JsonValue | null {
  const r = new WireReader(ptr, ptr + len);
  const fields = new MapBuilder();
  readStructFields(r, MAX_NESTING, fields);
  return r.ok ? fields.toJson() : null;
}

/** an envoy Metadata message → JSON object: filter namespace → struct (typed metadata skipped) */
export function decodeMetadata(ptr: usize, len: usize): JsonValue | null {
  const r = new WireReader(ptr, ptr + len);
  const namespaces = new MapBuilder();
  const depth = MAX_NESTING;
  while (r.more && r.key()) {
    if (r.field != 1) { r.skip(depth); continue; }
    // filter_metadata entry: 1 key, 2 Struct
    const outer = enterMapEntry(r, depth);
    let name = "";
    const fields = new MapBuilder();
    while (r.more && r.key()) {
      if (r.field == 1 && r.wire == LENGTH_DELIMITED) name = r.string();
      else if (r.field == 2) {
        const inner = enterMessage(r, depth - 1);
        readStructFields(r, depth - 2, fields); // a repeated message merges
        r.leave(inner);
      } else if (r.field <= 2) r.fail();
      else r.skip(depth - 1);
    }
    r.leave(outer);
    namespaces.set(name, fields.toJson());
  }
  return r.ok ? namespaces.toJson() : null;
}

/** enters a message field at nesting `depth` (deeper than prost's limit fails) */
function enterMessage(r: WireReader, depth: i32): usize {
  if (r.wire != LENGTH_DELIMITED) r.fail();
  return enterMapEntry(r, depth);
}

/** enters a map entry: like a message, but prost does not look at the wire type */
function enterMapEntry(r: WireReader, depth: i32): usize {
  if (depth <= 0) r.fail();
  return r.ok ? r.enter() : r.end;
}

/** Struct fields up to the reader's end, merged into `into` */
function readStructFields(r: WireReader, depth: i32, into: MapBuilder): void {
  while (r.more && r.key()) {
    if (r.field != 1) { r.skip(depth); continue; }
    // map entry: 1 key, 2 Value
    const outer = enterMapEntry(r, depth);
    let name = "";
    const value = new ValueBuilder();
    while (r.more && r.key()) {
      if (r.field == 1 && r.wire == LENGTH_DELIMITED) name = r.string();
      else if (r.field == 2) {
        const inner = enterMessage(r, depth - 1);
        readValueFields(r, depth - 2, value);
        r.leave(inner);
      } else if (r.field <= 2) r.fail();
      else r.skip(depth - 1);
    }
    r.leave(outer);
    into.set(name, value.toJson());
  }
}

/** google.protobuf.Value fields (a oneof: the last member read wins) merged into `v` */
function readValueFields(r: WireReader, depth: i32, v: ValueBuilder): void {
  while (r.more && r.key()) {
    const field = r.field;
    const wire = r.wire;
    if (field == 1 && wire == VARINT) { r.varint(); v.setScalar(JsonValue.null()); }
    else if (field == 2 && wire == FIXED64) v.setScalar(JsonValue.text(JsonKind.Number, reinterpret<f64>(r.fixed64()).toString()));
    else if (field == 3 && wire == LENGTH_DELIMITED) v.setScalar(JsonValue.text(JsonKind.String, r.string()));
    else if (field == 4 && wire == VARINT) v.setScalar(JsonValue.boolean(r.varint() != 0));
    else if (field == 5) {
      const outer = enterMessage(r, depth);
      readStructFields(r, depth - 1, v.structFields());
      r.leave(outer);
    } else if (field == 6) {
      const outer = enterMessage(r, depth);
      readListValues(r, depth - 1, v.listItems());
      r.leave(outer);
    } else if (field <= 6) r.fail(); // a known field with the wrong wire type
    else r.skip(depth);
  }
}

/** ListValue fields: each `values` occurrence is a new element */
function readListValues(r: WireReader, depth: i32, into: Array<JsonValue>): void {
  while (r.more && r.key()) {
    if (r.field != 1) { r.skip(depth); continue; }
    const outer = enterMessage(r, depth);
    const element = new ValueBuilder();
    readValueFields(r, depth - 1, element);
    r.leave(outer);
    into.push(element.toJson());
  }
}

/** map<string, _> contents: insertion order, a repeated key replaces the earlier value */
class MapBuilder {
  keys: Array<string> = new Array<string>();
  values: Array<JsonValue> = new Array<JsonValue>();
  // built once the map is large enough for linear search to matter (hostile input)
  private index: Map<string, i32> | null = null;

  set(key: string, value: JsonValue): void {
    const at = this.find(key);
    if (at >= 0) { this.values[at] = value; return; }
    const index = this.index;
    if (index != null) index.set(key, this.keys.length);
    this.keys.push(key);
    this.values.push(value);
  }

  private find(key: string): i32 {
    let index = this.index;
    if (index == null && this.keys.length >= 16) {
      index = new Map<string, i32>();
      for (let i = 0; i < this.keys.length; i++) index.set(this.keys[i], i);
      this.index = index;
    }
    if (index != null) return index.has(key) ? index.get(key) : -1;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return i;
    return -1;
  }

  toJson(): JsonValue { return JsonValue.object(this.keys, this.values); }
}

/** the oneof of a Value being decoded; struct and list members merge when repeated */
class ValueBuilder {
  private scalar: JsonValue | null = null;
  private fields: MapBuilder | null = null;
  private items: Array<JsonValue> | null = null;

  setScalar(v: JsonValue): void {
    this.clear();
    this.scalar = v;
  }

  structFields(): MapBuilder {
    let fields = this.fields;
    if (fields == null) {
      this.clear();
      fields = new MapBuilder();
      this.fields = fields;
    }
    return fields;
  }

  listItems(): Array<JsonValue> {
    let items = this.items;
    if (items == null) {
      this.clear();
      items = new Array<JsonValue>();
      this.items = items;
    }
    return items;
  }

  private clear(): void {
    this.scalar = null;
    this.fields = null;
    this.items = null;
  }

  toJson(): JsonValue {
    const fields = this.fields;
    if (fields != null) return fields.toJson();
    const items = this.items;
    if (items != null) return JsonValue.array(items);
    const scalar = this.scalar;
    return scalar != null ? scalar : JsonValue.null(); // no member set
  }
}
