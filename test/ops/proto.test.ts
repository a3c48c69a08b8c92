// Protobuf decoding (docs/design.md §2): google.protobuf.Struct and envoy Metadata.
import { beforeAll, describe, expect, it } from "vitest";
import { loadOps, OpsUnit, runOps, verdict } from "./support";

let m: OpsUnit;
beforeAll(async () => { m = await loadOps("proto"); });

// --- a tiny protobuf writer ----------------------------------------------------------------
type Bytes = number[];
const varint = (n: number | bigint): Bytes => {
  let v = BigInt(n);
  const out: Bytes = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const utf8 = (s: string): Bytes => [...Buffer.from(s, "utf8")];
const len = (field: number, payload: Bytes): Bytes => [...key(field, 2), ...varint(payload.length), ...payload];
const str = (field: number, s: string) => len(field, utf8(s));
const double = (field: number, d: number): Bytes => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(d);
  return [...key(field, 1), ...b];
};

function value(v: unknown): Bytes {
  if (v === null) return [...key(1, 0), 0];
  if (typeof v === "number") return double(2, v);
  if (typeof v === "string") return str(3, v);
  if (typeof v === "boolean") return [...key(4, 0), v ? 1 : 0];
  if (Array.isArray(v)) return len(6, v.flatMap((e) => len(1, value(e))));
  return len(5, struct(v as Record<string, unknown>));
}
const entry = (k: string, v: Bytes): Bytes => len(1, [...str(1, k), ...len(2, v)]);
const struct = (o: Record<string, unknown>): Bytes => Object.entries(o).flatMap(([k, v]) => entry(k, value(v)));
const metadata = (o: Record<string, Record<string, unknown>>): Bytes =>
  Object.entries(o).flatMap(([ns, s]) => len(1, [...str(1, ns), ...len(2, struct(s))]));

const hex = (b: Bytes) => Buffer.from(b).toString("hex");
const decode = (b: Bytes) => JSON.parse(m.structFromHex(hex(b)));
const decodeMeta = (b: Bytes) => JSON.parse(m.metadataFromHex(hex(b)));
const n = (text: string) => ({ $number: text });

describe("google.protobuf.Struct", () => {
  it("decodes the spec example", () => {
    expect(decode([...Buffer.from("Cg0KA2F6cBIGGgRhcHAx", "base64")])).toEqual({ azp: "app1" });
  });

  it("decodes every Value kind", () => {
    const doc = { s: "x", n: 1.5, i: 1700000000, z: 0, neg: -2.25, t: true, f: false, nul: null, list: ["a", 1, [true]], obj: { a: { b: "c" } } };
    expect(decode(struct(doc))).toEqual({
      s: "x", n: n("1.5"), i: n("1700000000.0"), z: n("0.0"), neg: n("-2.25"), t: true, f: false, nul: null,
      list: ["a", n("1.0"), [true]], obj: { a: { b: "c" } },
    });
    expect(decode(struct({ nan: NaN, inf: -Infinity }))).toEqual({ nan: n("NaN"), inf: n("-Infinity") });
  });

  it("decodes the empty message as an empty struct", () => expect(decode([])).toEqual({}));

  it("applies map and message merge rules", () => {
    // a later entry with the same key replaces the earlier one, keeping its position
    expect(decode([...entry("a", value("1")), ...entry("b", value("2")), ...entry("a", value("3"))])).toEqual({ a: "3", b: "2" });
    expect(Object.keys(decode([...entry("a", value("1")), ...entry("b", value("2")), ...entry("a", value("3"))]))).toEqual(["a", "b"]);
    // missing key = "", missing value = null, Value without member = null
    expect(decode(len(1, len(2, value("v"))))).toEqual({ "": "v" });
    expect(decode(len(1, str(1, "k")))).toEqual({ k: null });
    expect(decode(entry("k", []))).toEqual({ k: null });
    // oneof: the last member wins; repeated struct/list members merge
    expect(decode(entry("k", [...value("s"), ...value(true)]))).toEqual({ k: true });
    expect(decode(entry("k", [...value({ a: "1" }), ...value({ b: "2" })]))).toEqual({ k: { a: "1", b: "2" } });
    expect(decode(entry("k", [...value(["a"]), ...value(["b"])]))).toEqual({ k: ["a", "b"] });
    expect(decode(entry("k", [...value({ a: "1" }), ...value("s"), ...value({ b: "2" })]))).toEqual({ k: { b: "2" } });
    // a repeated Value in one entry merges too
    expect(decode(len(1, [...str(1, "k"), ...len(2, value({ a: "1" })), ...len(2, value({ b: "2" }))]))).toEqual({ k: { a: "1", b: "2" } });
  });

  it("handles many keys (indexed) with replacement", () => {
    const bytes: Bytes = [];
    for (let i = 0; i < 100; i++) bytes.push(...entry(`k${i % 40}`, value(`v${i}`)));
    const out = decode(bytes);
    expect(Object.keys(out)).toHaveLength(40);
    expect(out.k0).toBe("v80");
    expect(out.k39).toBe("v79");
  });

  it("skips unknown fields of every wire type at every level", () => {
    const junk: Bytes = [
      ...key(9, 0), ...varint(2n ** 63n), ...key(10, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...len(11, [1, 2, 3]),
      ...key(12, 5), 1, 2, 3, 4, ...key(13, 3), ...key(1, 0), 5, ...key(2, 3), ...key(2, 4), ...key(13, 4),
    ];
    const bytes = [
      ...junk,
      ...len(1, [...junk, ...str(1, "a"), ...junk, ...len(2, [...junk, ...str(3, "x"), ...junk])]),
      ...len(1, [...str(1, "l"), ...len(2, len(6, [...junk, ...len(1, [...junk, ...value(true)])]))]),
      ...junk,
    ];
    expect(decode(bytes)).toEqual({ a: "x", l: [true] });
  });

  it("reads map fields whatever their wire type, like prost", () => {
    expect(decode([...key(1, 0), 0])).toEqual({ "": null });
  });

  it.each([
    ["a known field with the wrong wire type", entry("k", [...key(3, 0), 1])],
    ["a bool with a length", entry("k", len(4, [1]))],
    ["invalid UTF-8 in a key", len(1, [...len(1, [0xff]), ...len(2, value("v"))])],
    ["invalid UTF-8 in a string value", entry("k", len(3, [0xc3, 0x28]))],
    ["a varint longer than 10 bytes", [...key(9, 0), ...Array(10).fill(0x80), 0]],
    ["a 10-byte varint overflowing 64 bits", [...key(9, 0), ...Array(9).fill(0xff), 0x02]],
    ["field number 0", [0x02, 0x00]],
    ["wire type 6", [...key(9, 6)]],
    ["wire type 7", [...key(9, 7)]],
    ["a key beyond 32 bits", [...varint(2n ** 35n), 0]],
    ["an end group without start", [...key(9, 4)]],
    ["a group closed by another field number", [...key(9, 3), ...key(8, 4)]],
    ["an unterminated group", [...key(9, 3), ...key(1, 0), 1]],
    ["a length beyond the input", [...key(1, 2), 5, 1, 2]],
    ["a length beyond the enclosing message", len(1, [...key(1, 2), 10, ...Array(12).fill(0x41)])],
    ["a truncated double", entry("k", [...key(2, 1), 1, 2, 3])],
    ["a truncated fixed32", [...key(9, 5), 1, 2, 3]],
  ])("rejects %s", (_what, bytes) => {
    expect(m.structFromHex(hex(bytes))).toBe("null");
  });

  it("rejects every truncation inside an entry (a cut between entries leaves a valid message)", () => {
    const entries = [entry("azp", value("app1")), entry("aud", value(["a", "b"])), entry("n", value(1.25)), entry("deep", value({ x: { y: null } }))];
    const full = entries.flat();
    const boundaries = new Set(entries.map((_, i) => entries.slice(0, i + 1).flat().length));
    for (let cut = 1; cut < full.length; cut++) {
      const out = m.structFromHex(hex(full.slice(0, cut)));
      if (boundaries.has(cut)) expect(out).not.toBe("null");
      else expect(out, `cut at ${cut}`).toBe("null");
    }
  });

  it("bounds nesting like prost (recursion limit 100) without exhausting the stack", () => {
    const nested = (depth: number): Bytes => {
      let doc: Bytes = struct({ leaf: "v" });
      for (let i = 0; i < depth; i++) doc = entry("n", len(5, doc));
      return doc;
    };
    // each level costs prost 3 (map entry, Value, Struct): 32 nested structs decode, 33 do not
    expect(m.structFromHex(hex(nested(32)))).toContain('"leaf":"v"');
    expect(m.structFromHex(hex(nested(33)))).toBe("null");
    // 5000 levels: refused at level 33, long before the decoder could run out of stack
    let deep = Buffer.from(struct({ leaf: "v" }));
    for (let i = 0; i < 5000; i++) {
      const inner = Buffer.concat([Buffer.from(key(5, 2)), Buffer.from(varint(deep.length)), deep]);
      const entryBody = Buffer.concat([Buffer.from(str(1, "n")), Buffer.from(key(2, 2)), Buffer.from(varint(inner.length)), inner]);
      deep = Buffer.concat([Buffer.from(key(1, 2)), Buffer.from(varint(entryBody.length)), entryBody]);
    }
    expect(m.structFromHex(deep.toString("hex"))).toBe("null");
    const groups = [...Array(5000).fill(key(9, 3)).flat(), ...Array(5000).fill(key(9, 4)).flat()];
    expect(m.structFromHex(hex(groups))).toBe("null");
  });

  it("never traps on garbage", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const valid = struct({ a: "b", c: [1, { d: true }] });
    for (let i = 0; i < 3000; i++) {
      const bytes = i % 2 ? Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))
        : valid.map((b) => (rand() < 0.1 ? Math.floor(rand() * 256) : b));
      expect(() => m.structFromHex(hex(bytes))).not.toThrow();
      expect(() => m.metadataFromHex(hex(bytes))).not.toThrow();
    }
  });
});

describe("envoy.config.core.v3.Metadata", () => {
  it("maps filter namespaces to structs and skips typed metadata", () => {
    const doc = { "envoy.filters.http.jwt_authn": { verified_jwt: { azp: "client-a", aud: ["aud-1", "aud-2"], exp: 1700000000 } } };
    const typed = len(2, [...str(1, "typed"), ...len(2, [...str(1, "type.googleapis.com/x"), ...len(2, [1, 2, 3])])]);
    expect(decodeMeta([...typed, ...metadata(doc), ...typed])).toEqual({
      "envoy.filters.http.jwt_authn": { verified_jwt: { azp: "client-a", aud: ["aud-1", "aud-2"], exp: n("1700000000.0") } },
    });
  });

  it("replaces a repeated namespace, merges a repeated struct, defaults missing parts", () => {
    expect(decodeMeta([...metadata({ a: { x: "1" } }), ...metadata({ a: { y: "2" } })])).toEqual({ a: { y: "2" } });
    expect(decodeMeta(len(1, [...str(1, "a"), ...len(2, struct({ x: "1" })), ...len(2, struct({ y: "2" }))]))).toEqual({ a: { x: "1", y: "2" } });
    expect(decodeMeta(len(1, str(1, "a")))).toEqual({ a: {} });
    expect(decodeMeta([])).toEqual({});
  });

  it("rejects malformed input", () => {
    expect(m.metadataFromHex(hex(len(1, [...str(1, "a"), ...key(2, 0), 1])))).toBe("null");
    expect(m.metadataFromHex(hex([...metadata({ a: { x: "1" } })].slice(0, -1)))).toBe("null");
  });
});

describe("the protobuf operation", () => {
  const b64 = (b: Bytes) => Buffer.from(b).toString("base64");
  it("selects strings from a Struct carried in Base64", () => {
    const doc = b64(struct({ azp: "app1", n: "5", nested: { k: "v" }, list: ["x", "y"] }));
    const run = (ops: unknown) => verdict(runOps(m, ["base64_standard", ops], [doc]));
    expect(run({ protobuf: { keys: ["azp"] } })).toEqual(["app1"]);
    expect(run({ protobuf: { path: ["nested"], keys: ["k"] } })).toEqual(["v"]);
    expect(run({ protobuf: { path: ["list"], keys: ["1"] } })).toEqual(["y"]);
    expect(run({ protobuf: { keys: ["list"] } })).toBe("fails");
    expect(run({ protobuf: { keys: ["missing"] } })).toBe("fails");
    expect(run({ protobuf: { keys: [] } })).toBe("fails");
  });
  it("fails on undecodable bytes, succeeds on the empty struct only if a key selects", () => {
    expect(verdict(runOps(m, [{ protobuf: { keys: ["a"] } }], ["\u0002\u0000"]))).toBe("fails");
    expect(verdict(runOps(m, [{ protobuf: { keys: ["a"] } }], [""]))).toBe("fails");
  });
});
