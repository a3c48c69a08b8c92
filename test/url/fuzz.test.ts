// Hostile inputs: every exported function must return (a trap surfaces as a thrown
// WebAssembly.RuntimeError) and produce well-formed, ASCII-only URL components.
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./corpus";
import { loadUrlUnit, type UrlUnit } from "./support";

let m: UrlUnit;
beforeAll(async () => {
  m = await loadUrlUnit();
});

const structural = [..."/\\?#@:[]%.%2e0x19aAfF-+&= \t\n\r\u0000\u007f"];

/** Random UTF-16 text: structural characters, arbitrary code units (lone surrogates included), emoji. */
function hostile(next: () => number, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) {
    const r = next();
    if (r < 0.6) s += structural[Math.floor(next() * structural.length)];
    else if (r < 0.9) s += String.fromCharCode(Math.floor(next() * 0x10000));
    else s += String.fromCodePoint(0x10000 + Math.floor(next() * 0x100000));
  }
  return s;
}

function checkRequest(scheme: string, authority: string, path: string): void {
  const r = m.normalize(scheme, authority, path);
  if (r === null) return;
  const [auth, p, query, hasQuery, target] = r;
  expect(auth + p + query).toMatch(/^[\x20-\x7e]*$/);
  expect(p).not.toMatch(/[?#]/);
  expect(target).toBe(hasQuery === "1" ? p + "?" + query : p);
}

function checkAll(next: () => number, length: number): void {
  const text = () => hostile(next, Math.floor(next() * length));
  checkRequest(next() < 0.5 ? "https" : text(), text(), (next() < 0.7 ? "/" : "") + text());
  const up = m.upstream(text());
  if (up[0] === "") expect(up[3].endsWith("/")).toBe(true);
  expect(m.formDecodePairs(text()).length % 2).toBe(0);
  expect(m.percentEncodeComponent(text())).toMatch(/^[A-Za-z0-9\-._~%]*$/);
}

describe("no trap on hostile input", () => {
  it("survives 5000 random short inputs", () => {
    const next = rng(1234);
    for (let i = 0; i < 5000; i++) checkAll(next, 48);
  });

  it("survives 64 KiB random inputs", () => {
    const next = rng(99);
    for (let i = 0; i < 12; i++) checkAll(next, 65536);
  });

  it("survives 64 KiB adversarial shapes", () => {
    const big = (unit: string) => unit.repeat(Math.ceil(65536 / unit.length)).slice(0, 65536);
    const idnLabel = "é".repeat(300); // longer than the Punycode label cap
    const shapes = [
      big("é\u4f8b."), big(idnLabel + "."), big("xn--" + "9".repeat(300) + "."), "xn--" + big("a9"),
      "[" + big("1:") + "]", "[" + big("::1.2.3.4") + "]", big("0x1."), big("9"), big("%FF"), big("%2e"),
      big("a@"), big(":@"), "h:" + big("0"), big("\uD800"), big("\uDC00\uD800"), big("😀"), big("\u0000"),
    ];
    for (const shape of shapes) {
      checkRequest("https", shape, "/");
      checkRequest("foo", shape, "/");
      checkRequest("file", shape, "/");
      checkRequest("https", "h", "/" + shape);
      checkRequest("https", "h", "/?" + shape);
      expect(m.upstream("https://" + shape).length).toBeGreaterThan(0);
      expect(m.formDecodePairs(shape).length % 2).toBe(0);
    }
    checkRequest("https", "h", big("/.."));
    checkRequest("https", "h", big("/%2e%2E"));
    checkRequest("file", "C:", big("/.."));
    checkRequest(big("a"), "h", "/");
    expect(m.formDecodePairs(big("&")).length).toBe(0);
  });
});
