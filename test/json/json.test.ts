import { beforeAll, describe, expect, it } from "vitest";
import { loadAsUnit } from "../support/as-unit";

let m: any;
beforeAll(async () => { m = await loadAsUnit("test/as/json/json.ts"); });

describe("JSON parser", () => {
  it.each([
    ['{"a":1,"b":[true,false,null],"c":"x"}', "{a:#1,b:[true,false,null],c:'x'}"],
    ['  [ 1 , -0.5e+3 , "\\u00e9\\n" ] ', "[#1,#-0.5e+3,'é\n']"],
    ['{"a":1,"a":2}', "{a:#1,a:#2}"],
    ['"\\ud83d\\ude00"', "'😀'"],
  ])("parses %s", (text, shown) => {
    expect(m.parse(text)).toBe(shown);
  });

  it.each([
    ["", "unexpected end of input"],
    ["{", "expected a string as object key"],
    ['{"a" 1}', "expected ':'"],
    ["[1,]", "expected a JSON value"],
    ["01", "unexpected content"],
    ["1.", "digits expected after '.'"],
    ["-", "invalid number"],
    ['"\\x"', "invalid escape"],
    ['"a\u0001"', "control character"],
    ['"abc', "unterminated string"],
    ["[1] x", "unexpected content"],
    ["tru", "expected a JSON value"],
    ['"\\ud83d"', "lone surrogate"],
    ['"\\ude00x"', "lone surrogate"],
    ['"\\ud83d\\u0041"', "lone surrogate"],
    ["{\"a\":1,}", "expected a string as object key"],
  ])("rejects %j", (text, message) => {
    expect(m.parse(text)).toContain(message);
  });

  it("reports line and column", () => {
    expect(m.parse('{\n  "a": x\n}')).toBe("error: JSON syntax error at line 2, column 8: expected a JSON value");
  });

  it("rejects nesting deeper than the limit instead of exhausting the stack", () => {
    expect(m.parse("[".repeat(128) + "]".repeat(128))).toMatch(/^\[/);
    expect(m.parse("[".repeat(129) + "]".repeat(129))).toContain("nesting deeper than 128 levels");
    expect(m.parse("[".repeat(200000))).toContain("nesting deeper than 128 levels");
    expect(m.parseWithDepth('{"a":{"b":1}}', 1)).toContain("nesting deeper than 1 levels");
  });
});

describe("typed configuration reader", () => {
  it.each([
    ["size", "4294967295", "4294967295"],
    ["size", "4294967296", "error: f: expected a non-negative integer not above 4294967295, found number 4294967296"],
    ["size", "-1", "error: f: expected a non-negative integer not above 4294967295, found number -1"],
    ["size", "2.0", "error: f: expected a non-negative integer not above 4294967295, found number 2.0"],
    ["size", "1e3", "error: f: expected a non-negative integer not above 4294967295, found number 1e3"],
    ["size", '"5"', "error: f: expected a non-negative integer not above 4294967295, found string"],
    ["u64", "18446744073709551615", "18446744073709551615"],
    ["u64", "-0", "error: f: expected a non-negative integer, found number -0"],
    ["index", "-0", "error: f: expected an integer between -2147483648 and 2147483647, found number -0"],
    ["u64", "18446744073709551616", "error: f: expected a non-negative integer, found number 18446744073709551616"],
    ["index", "-2147483648", "-2147483648"],
    ["index", "2147483648", "error: f: expected an integer between -2147483648 and 2147483647, found number 2147483648"],
    ["i64", "-9223372036854775808", "-9223372036854775808"],
    ["i64", "9223372036854775807", "9223372036854775807"],
    ["i64", "9223372036854775808", "error: f: expected an integer between -9223372036854775808 and 9223372036854775807, found number 9223372036854775808"],
    ["strList", '["a","b"]', "a|b"],
    ["strList", '["a",1]', "error: f[1]: expected a string, found number 1 (f must be a list of strings)"],
    ["strList", '"a"', "error: f: expected a list of strings, found string"],
    ["object", '{"x":1,"x":2}', "error: f.x: duplicate field `x`"],
  ])("%s %s", (kind, text, expected) => {
    expect(m.read(kind, text)).toBe(expected);
  });
});
