import { describe, expect, it } from "vitest";
import { Status } from "../../tools/host/abi";
import { HeaderMap } from "../../tools/host/headers";
import { InstanceMetrics, MetricStore } from "../../tools/host/metrics";
import { decodePairs, encodePairs, PAIRS_MAX_COUNT } from "../../tools/host/pairs";
import { encodeMetadata, encodeStruct, encodeValue } from "../../tools/host/protobuf";
import { SharedData } from "../../tools/host/shared";

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("pairs wire format (§4.2)", () => {
  it("encodes the spec example", () => {
    const bytes = encodePairs([[enc("a"), enc("1")], [enc("b"), enc("22")]]);
    expect(hex(bytes)).toBe("02000000" + "0100000001000000" + "0100000002000000" + "61003100" + "6200323200");
  });

  it("round-trips arbitrary bytes", () => {
    const pairs: [Uint8Array, Uint8Array][] = [[enc("k"), Uint8Array.of(0xff, 0x00, 0xfe)], [enc(""), enc("")]];
    expect(decodePairs(encodePairs(pairs))).toEqual(pairs);
  });

  it("reads malformed or oversized maps as empty, like cpp-host", () => {
    const ok = encodePairs([[enc("a"), enc("1")]]);
    expect(decodePairs(ok.subarray(0, ok.length - 1))).toEqual([]); // truncated
    const noNul = ok.slice();
    noNul[noNul.length - 1] = 0x41;
    expect(decodePairs(noNul)).toEqual([]);
    expect(decodePairs(new Uint8Array())).toEqual([]);
    const many = Array.from({ length: PAIRS_MAX_COUNT + 1 }, (): [Uint8Array, Uint8Array] => [enc("h"), enc("v")]);
    expect(decodePairs(encodePairs(many))).toEqual([]);
    expect(decodePairs(encodePairs(many.slice(1)))).toHaveLength(PAIRS_MAX_COUNT);
    expect(decodePairs(encodePairs([[enc("big"), new Uint8Array(1 << 20)]]))).toEqual([]);
  });
});

describe("protobuf encoder (§5.4)", () => {
  it("matches the spec's Struct example", () => {
    expect(Buffer.from(encodeStruct({ azp: "app1" })).toString("base64")).toBe("Cg0KA2F6cBIGGgRhcHAx");
  });

  it("writes every Value kind with its tag", () => {
    expect(hex(encodeValue(null))).toBe("0800");
    expect(hex(encodeValue(true))).toBe("2001");
    expect(hex(encodeValue(false))).toBe("2000");
    expect(hex(encodeValue(1))).toBe("11000000000000f03f");
    expect(hex(encodeValue("x"))).toBe("1a0178");
    expect(hex(encodeValue(["x"]))).toBe("3205" + "0a03" + "1a0178");
    expect(hex(encodeValue({ a: null }))).toBe("2a09" + "0a07" + "0a0161" + "12020800");
  });

  it("wraps namespaces into Metadata.filter_metadata", () => {
    const struct = encodeStruct({ azp: "app1" });
    const metadata = encodeMetadata({ jwt: { azp: "app1" } });
    const entry = Buffer.concat([Buffer.from("0a036a7774", "hex"), Buffer.from([0x12, struct.length]), struct]);
    expect(hex(metadata)).toBe("0a" + entry.length.toString(16).padStart(2, "0") + hex(entry));
    expect(encodeMetadata({})).toHaveLength(0);
  });

  it("uses multi-byte varints for long fields", () => {
    const long = "x".repeat(200);
    expect(hex(encodeValue(long)).slice(0, 6)).toBe("1ac801");
  });
});

describe("HeaderMap (Envoy semantics)", () => {
  it("lower-cases names, keeps pseudo-headers first, returns the first value", () => {
    const map = HeaderMap.of([["X-A", "1"], [":path", "/"], ["x-a", "2"]]);
    map.add(":method", "GET");
    expect(map.toHeaders()).toEqual([[":path", "/"], [":method", "GET"], ["x-a", "1"], ["x-a", "2"]]);
    expect(new TextDecoder().decode(map.get("X-A"))).toBe("1");
    expect(map.byteSize()).toBe(":path/:methodGETx-a1x-a2".length);
  });

  it("replace removes every occurrence, remove of a missing name is fine", () => {
    const map = HeaderMap.of([["a", "1"], ["b", "x"], ["a", "2"]]);
    map.replace("a", "3");
    map.remove("zzz");
    expect(map.toHeaders()).toEqual([["b", "x"], ["a", "3"]]);
  });

  it("keeps non-UTF-8 values as bytes", () => {
    const map = HeaderMap.of([["x-bin", Uint8Array.of(0xc3, 0x28)]]);
    expect(map.toHeaders()[0][1]).toEqual(Uint8Array.of(0xc3, 0x28));
  });
});

describe("shared data CAS (§6)", () => {
  it("implements Envoy's compare-and-swap rules", () => {
    const data = new SharedData();
    expect(data.set("", "k", enc("v1"), 12345)).toBe(Status.Ok); // missing key: created whatever the token
    const first = data.get("", "k")!;
    expect(first.cas).not.toBe(0);
    expect(data.set("", "k", enc("v2"), first.cas + 1)).toBe(Status.CasMismatch);
    expect(data.set("", "k", enc("v2"), first.cas)).toBe(Status.Ok);
    const second = data.get("", "k")!;
    expect(second.cas).not.toBe(first.cas);
    expect(data.set("", "k", enc("v3"), first.cas)).toBe(Status.CasMismatch); // stale token
    expect(data.set("", "k", enc("v3"), 0)).toBe(Status.Ok); // unconditional
    expect(data.get("other-vm", "k")).toBeUndefined();
  });
});

describe("metrics (§8)", () => {
  it("assigns Envoy's ids and aggregates per name across instances", () => {
    const store = new MetricStore();
    const [a, b] = [new InstanceMetrics(store), new InstanceMetrics(store)];
    expect([a.define(0, "c"), a.define(1, "g"), a.define(2, "h"), a.define(0, "c2")]).toEqual([4, 5, 6, 8]);
    expect(a.define(3, "x")).toBeUndefined();
    const counterOnB = b.define(0, "c")!;
    expect(a.increment(4, 2n)).toBe(Status.Ok);
    expect(b.increment(counterOnB, 3n)).toBe(Status.Ok);
    expect(store.get("c")).toEqual({ kind: "counter", value: 5, samples: [] });
    expect(store.get("wasmcustom.c")?.value).toBe(5);
    expect(a.get(12)).toBe(Status.NotFound);
    expect(a.record(14, 1n)).toBe(Status.NotFound);
  });
});
