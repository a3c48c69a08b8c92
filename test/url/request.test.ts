import { beforeAll, describe, expect, it } from "vitest";
import { nodeOracle, requestCases, rng, type Case } from "./corpus";
import { loadUrlUnit, type UrlUnit } from "./support";

let m: UrlUnit;
beforeAll(async () => {
  m = await loadUrlUnit();
});

const target = (path: string, scheme = "https", authority = "example.com") => m.normalize(scheme, authority, path)?.[4];
const authority = (auth: string, scheme = "https") => m.normalize(scheme, auth, "/")?.[0] ?? null;

describe("authorization-flow §2.1 examples (:path → matcher target)", () => {
  it.each([
    ["/a/./b", "/a/b"],
    ["/a/../b", "/b"],
    ["/foo bar", "/foo%20bar"],
    ["/café", "/caf%C3%A9"],
    ["/a%2Fb", "/a%2Fb"],
    ["/a{b}", "/a%7Bb%7D"],
    ["/x?q=<b>", "/x?q=%3Cb%3E"],
    ["/x?q={v}", "/x?q={v}"],
    ["/x?q=hello#frag", "/x?q=hello"],
    ["//x//y", "//x//y"],
    ["/a?", "/a?"],
  ])("%s → %s", (path, expected) => {
    expect(target(path)).toBe(expected);
  });

  it("derives authority, path and query separately", () => {
    expect(m.normalize("https", "Example.COM:443", "/a/./b?x=1#f")).toEqual(["example.com", "/a/b", "x=1", "1", "/a/b?x=1"]);
    expect(m.normalize("https", "h", "/a")).toEqual(["h", "/a", "", "0", "/a"]);
  });

  it("path: encodes controls, space, \" < > ` { } DEL and non-ASCII; keeps | ^ [ ] ' and %XX", () => {
    expect(target("/\u0001 \"<>`{}\u007f\u00e9")).toBe("/%01%20%22%3C%3E%60%7B%7D%7F%C3%A9");
    expect(target("/|^[]'%2f%2F%zz")).toBe("/|^[]'%2f%2F%zz");
    expect(target("/a/%2e/b/%2E%2e/c/.%2e")).toBe("/a/");
    expect(target("/a\\b\\..\\c", "http")).toBe("/a/c");
    expect(target("/a\\b", "foo")).toBe("/a\\b");
  });

  it("query: encodes controls, space, \" < > ' DEL and non-ASCII; keeps { } | ^ ` [ ] + %XX", () => {
    expect(target("/?\u0001 \"<>'\u007f\u00e9")).toBe("/?%01%20%22%3C%3E%27%7F%C3%A9");
    expect(target("/?{}|^`[]+%41%zz")).toBe("/?{}|^`[]+%41%zz");
    expect(target("/?'", "foo")).toBe("/?'"); // `'` is only encoded for special schemes
  });

  it("fails like WHATWG on a space in the authority or an invalid port", () => {
    expect(m.normalize("https", "exa mple.com", "/")).toBeNull();
    expect(m.normalize("https", "example.com:8a", "/")).toBeNull();
    expect(m.normalize("https", "example.com:65536", "/")).toBeNull();
  });
});

describe("configuration §7.2 normalised authority", () => {
  it.each([
    ["hé.com", "https", "xn--h-bga.com"],
    ["127.1", "https", "127.0.0.1"],
    ["0x7f.0.0.1", "https", "127.0.0.1"],
    ["0x7f.1", "https", "127.0.0.1"],
    ["[0:0::1]", "https", "[::1]"],
    ["example.com.", "https", "example.com."],
    ["example.com:443", "https", "example.com"],
    ["example.com:443", "http", "example.com:443"],
    ["example.com:80", "http", "example.com"],
    ["example.com:80", "ws", "example.com"],
    ["example.com:443", "wss", "example.com"],
    ["example.com:21", "ftp", "example.com"],
    ["example.com:08080", "https", "example.com:8080"],
    ["example.com:", "https", "example.com"],
    ["EXAMPLE.com:443", "foo", "EXAMPLE.com:443"],
    ["user:pw@host", "https", "user:pw@host"],
    ["EXAMPLE.com", "https", "example.com"],
  ])("%s (%s) → %s", (auth, scheme, expected) => {
    expect(authority(auth, scheme)).toBe(expected);
  });
});

describe("host and port details", () => {
  it.each([
    ["2130706433", "127.0.0.1"], ["017700000001", "127.0.0.1"], ["0x7F000001", "127.0.0.1"], ["0", "0.0.0.0"],
    ["1.2.3.4.", "1.2.3.4"], ["0xffffffff", "255.255.255.255"], ["1.0x", "1.0.0.0"], ["1.0x1g", "1.0x1g"],
    ["[2001:DB8:0:0:1:0:0:1]", "[2001:db8::1:0:0:1]"], ["[::ffff:1.2.3.4]", "[::ffff:102:304]"],
    ["[1:0:0:4:5:6:7:8]", "[1::4:5:6:7:8]"], ["[1:2:3:4:5:6:7::]", "[1:2:3:4:5:6:7:0]"],
    ["ex%41mple.com", "example.com"], ["%C3%A9.com", "xn--9ca.com"], ["BÜCHER.de", "xn--bcher-kva.de"],
    ["XN--BCHER-KVA.de", "xn--bcher-kva.de"], ["ΣΑΣ.com", "xn--mxa9ab.com"], ["a。b", "a.b"], ["ex\u00ADample.com", "example.com"],
    ["a@b@c", "a%40b@c"], ["a:b:c@h", "a:b%3Ac@h"], ["@h", "h"], [":@h", "h"], [":pw@h", ":pw@h"],
    ["h:0", "h:0"], ["h:00000000000000443", "h"],
  ])("%s → %s", (auth, expected) => {
    expect(authority(auth)).toBe(expected);
  });

  it.each([
    "256.1.1.1", "1.2.3.256", "4294967296", "09.1", "foo.09", "1.2.3.4.5", "[::1", "[1::2::3]", "[12345::]", "[]",
    "[::1]x", "a%20b", "a%2Fb", "%FF.com", "\uD800.com", "a\u200Db", "a<b", "a^b", "", "user@", "h:99999999999",
    "h:-1", "xn--zz", "xn--", "xn--ü.com", "a\u0000b",
  ])("%j fails", (auth) => {
    expect(m.normalize("https", auth, "/")).toBeNull();
  });

  it("non-special URLs keep opaque hosts (case, escapes) and every port", () => {
    expect(authority("ÜX.com:80", "foo")).toBe("%C3%9CX.com:80");
    expect(m.normalize("foo", "a b", "/")).toBeNull();
  });

  it("file URLs: no port, localhost becomes empty, drive letters", () => {
    expect(m.normalize("file", "localhost", "/x")?.slice(0, 2)).toEqual(["", "/x"]);
    expect(m.normalize("file", "C|", "/x/../..")?.slice(0, 2)).toEqual(["", "/C:/"]);
    expect(m.normalize("file", "h:80", "/x")).toBeNull();
  });
});

describe("DNS limits (253 characters, 63 per label, on the ASCII form)", () => {
  const name = (labels: number, last: number) => Array.from({ length: labels - 1 }, () => "a".repeat(63)).concat("b".repeat(last)).join(".");

  it("accepts names and labels at the limits, plain or through the parser", () => {
    const limit = name(4, 61); // 3 × 64 + 61 = 253
    expect(limit.length).toBe(253);
    expect(authority(limit)).toBe(limit);
    expect(authority(limit + ".")).toBe(limit + ".");
    expect(authority(limit.toUpperCase())).toBe(limit);
    expect(authority(limit.replace(/a/g, "%61"))).toBe(limit);
    expect(authority(limit + ":8080")).toBe(limit + ":8080");
    // 57 é: "xn--" + 59 characters of Punycode
    const idn = "é".repeat(57);
    expect(authority(idn + ".com")).toMatch(/^xn--[a-z0-9]{59}\.com$/);
  });

  it("refuses one character more, whichever path the host takes", () => {
    for (const host of [name(4, 62), name(4, 62).toUpperCase(), name(4, 61) + ".x", name(4, 61) + "..", "a".repeat(64), "a".repeat(64).replace(/a/g, "%61"), "x." + "é".repeat(58)]) {
      expect(authority(host)).toBeNull();
    }
  });

  it("refuses long non-ASCII hosts before decoding them", () => {
    const cjk = Array.from({ length: 400 }, () => "%E4%B8%AD".repeat(6)).join(".");
    expect(authority(cjk)).toBeNull();
    expect(authority("中".repeat(30000))).toBeNull();
    expect(authority("a\u00ad".repeat(2000) + ".com")).toBeNull(); // ignored code points pad past the input cap
  });
});

describe("documented deviations (idna.ts: no UTS #46 mapping/normalisation tables, DNS limits)", () => {
  it.each([
    ["compatibility mapping", "ＡＢＣ.com", "xn--mi7ccd.com", "abc.com"],
    ["NFC composition", "e\u0301.com", "xn--e-xbb.com", "xn--9ca.com"],
    ["full case folding", "ẞ.de", "xn--zca.de", "ss.de"],
    ["leading combining mark", "a.\u0301b", "a.xn--b-wbb", null],
    ["Bidi rule", "\u0627b", "xn--b-ymc", null],
    ["DNS label limit, IDN", "é".repeat(60) + ".com", null, new URL(`https://${"é".repeat(60)}.com`).host],
    ["DNS label limit, ASCII", "a".repeat(64) + ".com", null, "a".repeat(64) + ".com"],
    ["DNS name limit", "a.".repeat(127) + "a", null, "a.".repeat(127) + "a"],
  ])("%s", (_, host, ours, whatwg) => {
    expect(authority(host)).toBe(ours);
    let node: string | null = null;
    try {
      node = new URL(`https://${host}/`).host;
    } catch {
      // WHATWG rejects it
    }
    expect(node).toBe(whatwg);
  });
});

/** Runs our parser and Node's over the cases; returns the first disagreements. */
function disagreements(cases: Case[]): string[] {
  const out: string[] = [];
  for (const c of cases) {
    const expected = nodeOracle(c);
    const actual = m.normalize(c.scheme, c.authority, c.path)?.slice(0, 4) ?? null;
    if (JSON.stringify(expected) !== JSON.stringify(actual) && out.length < 10) {
      out.push(`${JSON.stringify(c)}: node ${JSON.stringify(expected)} ours ${JSON.stringify(actual)}`);
    }
  }
  return out;
}

describe("differential against Node's WHATWG URL", () => {
  it("agrees on 12000 generated request URLs", () => {
    expect(disagreements(requestCases(12000, 2555417))).toEqual([]);
  });

  it("agrees on 20000 random authorities and paths over a hostile alphabet", () => {
    // Only assigned code points: unassigned ones are disallowed by UTS #46, which needs its tables.
    const alphabet = [..."aZ09.:@[]/\\?#%2eEfFx-_~'\"<>`{}|^ \t\n\u0000\u007f\u00e9\u00c9\u00df\u03a3\u4f8b😀\u3002\u00ad", "\uD800", "\uDC00"];
    const schemes = ["http", "https", "HTTP", "ws", "file", "foo", " https", "ht tp", "", "a:b"];
    const next = rng(42);
    const text = (max: number) => Array.from({ length: Math.floor(next() * max) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    const cases = Array.from({ length: 20000 }, () => ({
      scheme: schemes[Math.floor(next() * schemes.length)],
      authority: text(12),
      path: (next() < 0.8 ? "/" : "") + text(12),
    }));
    expect(disagreements(cases)).toEqual([]);
  });

  it("agrees on 64 KiB inputs", () => {
    const big = (unit: string) => unit.repeat(Math.ceil(65536 / unit.length)).slice(0, 65536);
    expect(disagreements([
      { scheme: "https", authority: "h", path: big("/a/../b c/%2e/é?") },
      { scheme: "https", authority: big("ab.") + ":8080", path: "/" },
      { scheme: "https", authority: big("u:p@") + "h", path: "/" },
      { scheme: "foo", authority: "h", path: "/?" + big("a'<>{}\u0000") },
      { scheme: "https", authority: "h", path: big("/..") },
    ])).toEqual([]);
  });
});
