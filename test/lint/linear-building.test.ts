// Keeps string building linear in assembly/. The minimal runtime collects only between
// callbacks, so every intermediate string of a callback stays allocated until it returns:
// appending to a string n times costs O(n²) memory, and `Array<string>#join` is such a loop in
// the release build (shrink level 1). Strings are built with StringBuilder / joinStrings
// (assembly/text/builder.ts) instead. This scan enforces it with a lexical heuristic:
//
//  * `.join(` anywhere outside builder.ts (Array#join is the only `join` method in assembly/);
//  * string appends: `x += …` and `x = x + …` / `x = x.concat(…)` where the right side holds a
//    string literal, a `.toString(`, `String.` or `.substring(` call, or `x` is declared as a
//    string in the same file (`: string`, or initialised with a literal).
//
// String appends are refused everywhere, not only inside loop bodies: a function that appends
// once is quadratic when a loop calls it (serialising reply fields, one rule after another),
// which no syntactic loop check sees. Numeric `+=` passes: its target is not a string and its
// right side holds no string expression. Comments and the contents of string literals are
// blanked before scanning, so messages that mention `.join(` do not count.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const BUILDER = "assembly/text/builder.ts";


/** the source with comments blanked and string literal contents replaced by `_` (quotes kept, lines kept) */
export function blank(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      while (i < src.length && src[i] !== "\n") { out += " "; i++; }
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (; i < stop; i++) out += src[i] === "\n" ? "\n" : " ";
    } else if (c === "\"" || c === "'" || c === "`") {
      out += c;
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === "\\") { out += "__"; i += 2; continue; }
        out += src[i] === "\n" ? "\n" : "_";
        i++;
      }
      if (i < src.length) { out += c; i++; }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const STRINGISH = /["'`]|\.toString\(|\bString\.|\.substring\(/;

/** the expression starting at `start`: up to a `;`, or a `,` or `)` that closes nothing opened in it */
function expressionAt(line: string, start: number): string {
  let depth = 0;
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") { if (depth-- === 0) return line.slice(start, i); }
    else if (c === ";" || (c === "," && depth === 0)) return line.slice(start, i);
  }
  return line.slice(start);
}

/** "line: text" of every violation in one file's source */
export function violations(src: string, isBuilder = false): string[] {
  const code = blank(src);
  const lines = code.split("\n");
  const strings = new Set<string>();
  for (const m of code.matchAll(/\b([A-Za-z_$][\w$]*)\s*\??:\s*string\b/g)) strings.add(m[1]);
  for (const m of code.matchAll(/\b(?:let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*["'`]/g)) strings.add(m[1]);
  const found: string[] = [];
  lines.forEach((line, n) => {
    const where = `${n + 1}: ${src.split("\n")[n].trim()}`;
    if (!isBuilder && /\.join\s*\(/.test(line)) found.push(where);
    for (const m of line.matchAll(/([A-Za-z_$][\w$.]*)\s*\+=/g)) {
      const target = m[1].split(".").pop()!;
      if (STRINGISH.test(expressionAt(line, m.index + m[0].length)) || strings.has(target)) found.push(where);
    }
    for (const m of line.matchAll(/([A-Za-z_$][\w$.]*)\s*=\s*([A-Za-z_$][\w$.]*)\s*(\+|\.concat\()/g)) {
      if (m[1] !== m[2]) continue;
      const target = m[1].split(".").pop()!;
      if (m[3] !== "+" || STRINGISH.test(expressionAt(line, m.index + m[0].length)) || strings.has(target)) found.push(where);
    }
  });
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sources(path) : e.name.endsWith(".ts") ? [path] : [];
  });
}

describe("linear string building in assembly/", () => {
  const files = sources(resolve(root, "assembly")).map((path) => relative(root, path));

  it("has no Array#join and no string appends outside the builder", () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const v of violations(readFileSync(resolve(root, file), "utf8"), file === BUILDER)) bad.push(`${file}:${v}`);
    }
    expect(bad).toEqual([]);
  });
});

describe("the heuristic", () => {
  it("catches the code that made the VM quadratic", () => {
    // replaceText before the builder, the report body of cache/report.ts, the stack `join` op
    expect(violations(`
      const parts = new Array<string>();
      for (let done: u32 = 0; done < count; done++) { parts.push(s.substring(start, at)); parts.push(replacement); }
      return parts.join("");`)).toHaveLength(1);
    expect(violations(`
      let body = "service_token=" + percentEncodeComponent(token) + "&service_id=" + serviceId;
      for (let c = 0; c < batch.credentials.length; c++) {
        const prefix = "&transactions%5B" + c.toString() + "%5D%5B";
        body += prefix + batch.credentials[c];
        for (let m = 0; m < batch.metrics[c].length; m++) {
          body += prefix + "usage%5D%5B" + batch.metrics[c][m] + "%5D=" + batch.totals[c][m].toString();
        }
      }`)).toHaveLength(2);
    expect(violations("out[0] = stack.join(this.separator);")).toHaveLength(1);
  });

  it("catches appends to string variables and self-concatenation", () => {
    expect(violations("function f(s: string, n: i32): void { for (;;) s += x; }")).toHaveLength(1);
    expect(violations("let out = '';\nout += piece;")).toHaveLength(1);
    expect(violations("this.text += \"\\n\" + line;")).toHaveLength(1);
    expect(violations("s = s + \"x\";")).toHaveLength(1);
    expect(violations("s = s.concat(t);")).toHaveLength(1);
    expect(violations("q += n.toString();")).toHaveLength(1);
  });

  it("lets numeric arithmetic, comments, messages and the builder through", () => {
    expect(violations(`
      let size: i32 = 0;
      for (let i = 0; i < n; i += 4) { size += s.length; this.pos += c > 0xffff ? 2 : 1; delta = delta + 1; }
      for (let i = 0; i + 1 < h.length; i += 2) if (h[i] == ":path") return h[i + 1];
      // parts.join(", ") and text += "x" in a comment
      /* s += "y"; a.join(b) */
      fail("call .join( and += \\"x\\" in a message");
      const joined = joinStrings(items, ", ");`)).toEqual([]);
    expect(violations("return parts.join(\"\");", true)).toEqual([]);
  });
});
