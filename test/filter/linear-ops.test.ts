// Regression tests for quadratic string building: every operation with input-sized work, and
// the request parts parsed before any credential (host, query, percent-escapes), run at two
// sizes on a fresh VM each. Before the builder, a JSON credential of 16,000 escaped newlines
// took the VM to 2 GiB and 32,000 past 4 GiB (a trap); now each request must stay within
//
//   memory after ≤ memory before + 128 × the request's header bytes + 256 KiB
//
// A linear request allocates up to ~64 bytes per input byte: UTF-16 doubles every byte, an
// encoded credential is up to 9 bytes per input character, and it is copied a few times (header
// value, credential, authrep path, the path's UTF-8 for the host); the allocator then grows
// memory by doubling, so the pages seen can be twice what is used. The constant is what any
// request may add in 64 KiB pages (1,000 one-character values split from a 1 KiB header take
// 2 pages). Nothing is collected inside these requests (a fresh VM collects every 64 callbacks
// at the earliest), so the pages count every allocation. Quadratic building measured 2,000 to
// 60,000 bytes per input byte at these sizes. Time is not asserted here.
import { afterEach, describe, expect, it } from "vitest";
import type { Header, RequestResult } from "../../tools/host/types";
import { config, HIGHEST_LIMITS, service } from "../support/configs";
import { authrepParams, plugin, requestHeaders, type Plugin } from "../support/module";

const KIB = 1024;
const BYTES_PER_INPUT_BYTE = 128;
const CONSTANT_BYTES = 256 * KIB;

let p: Plugin | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

interface Case {
  /** the user_key source; default: the `authorization` header through `ops` */
  credentials?: unknown;
  ops?: unknown[];
  /** sizes in KiB of the hostile part; the second is twice the first */
  sizes: [number, number];
  request(n: number): { path?: string; authority?: string; headers?: Header[] };
  /** what the request must come to: the user_key sent to the backend, or a refusal */
  expected(n: number): string | 403;
}

const header = (value: string): Header[] => [["authorization", value]];
const pieces = (n: number, piece: (i: number) => string, separator: string) => {
  const out: string[] = [];
  for (let i = 0, length = 0; length < n; i++) { out.push(piece(i)); length += out[out.length - 1].length + separator.length; }
  return out;
};

const cases: Record<string, Case> = {
  "replace": {
    ops: [{ replace: { pattern: "A", with: "B" } }],
    sizes: [30, 60],
    request: (n) => ({ headers: header("A".repeat(n)) }),
    expected: (n) => "B".repeat(n),
  },
  "split and join (1,000 values)": {
    ops: [{ split: { separator: "," } }, { join: "" }],
    sizes: [15, 30],
    request: (n) => ({ headers: header(Array(1000).fill("x".repeat(Math.floor(n / 1000) - 1)).join(",")) }),
    expected: (n) => "x".repeat(1000 * (Math.floor(n / 1000) - 1)),
  },
  "split on the empty separator, then join": {
    ops: [{ split: { separator: "" } }, { join: "-" }],
    sizes: [0.5, 1], // the 1,024-value cap stops longer inputs before any work
    request: (n) => ({ headers: header("y".repeat(n - 30)) }),
    expected: (n) => "-" + "y".repeat(n - 30).split("").join("-") + "-",
  },
  "json with escaped newlines": {
    ops: [{ json: { keys: ["sub"] } }],
    sizes: [30, 60],
    request: (n) => ({ headers: header(JSON.stringify({ sub: "\n".repeat(n / 2 - 8) })) }),
    expected: (n) => "\n".repeat(n / 2 - 8),
  },
  "json with \\u escapes": {
    ops: [{ json: { keys: ["sub"] } }],
    sizes: [30, 60],
    request: (n) => ({ headers: header(`{"sub":"${"\\u00e9".repeat(n / 6 - 2)}"}`) }),
    expected: (n) => "é".repeat(n / 6 - 2),
  },
  "base64 decoding": {
    ops: ["base64_standard"],
    sizes: [30, 60],
    request: (n) => ({ headers: header(Buffer.from("k\n".repeat((n / 4) * 3 / 2)).toString("base64")) }),
    expected: (n) => "k\n".repeat((n / 4) * 3 / 2),
  },
  "strrev": {
    ops: ["strrev"],
    sizes: [30, 60],
    request: (n) => ({ headers: header("ab😀".repeat(n / 4)) }),
    expected: (n) => "😀ba".repeat(n / 4),
  },
  "values logged at debug (quoted, escapes)": {
    ops: [{ split: { separator: "," } }, { values: { level: "debug" } }, { join: "," }],
    sizes: [15, 30],
    request: (n) => ({ headers: header(Array(1000).fill("\"\\".repeat(Math.floor(n / 2000) - 1)).join(",")) }),
    expected: (n) => Array(1000).fill("\"\\".repeat(Math.floor(n / 2000) - 1)).join(","),
  },
  "values logged at info (masked)": {
    ops: [{ split: { separator: "," } }, { values: { level: "info" } }, { join: "," }],
    sizes: [15, 30],
    request: (n) => ({ headers: header(Array(1000).fill("v".repeat(Math.floor(n / 1000) - 1)).join(",")) }),
    expected: (n) => Array(1000).fill("v".repeat(Math.floor(n / 1000) - 1)).join(","),
  },
  "a query string of thousands of parameters": {
    credentials: { user_key: [{ query_string: { keys: ["user_key"] } }] },
    sizes: [30, 60],
    request: (n) => ({ path: "/?" + pieces(n, (i) => `p${i}=%41+b`, "&").join("&") + "&user_key=last" }),
    expected: () => "last",
  },
  "a percent-encoded query credential": {
    credentials: { user_key: [{ query_string: { keys: ["user_key"] } }] },
    sizes: [30, 60],
    request: (n) => ({ path: "/?user_key=" + "%E4%B8%AD".repeat(n / 9) }),
    expected: (n) => "中".repeat(n / 9),
  },
  "a host of percent-encoded CJK labels": {
    credentials: { user_key: [{ header: { keys: ["authorization"] } }] },
    sizes: [30, 60],
    request: (n) => ({ authority: pieces(n, () => "%E4%B8%AD".repeat(6), ".").join("."), headers: header("k") }),
    expected: () => 403,
  },
};

function requestBytes(headers: Header[]): number {
  return headers.reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(String(value)), 0);
}

async function measure(c: Case, n: number): Promise<{ result: RequestResult; grownBytes: number; inputBytes: number }> {
  const credentials = c.credentials ?? { user_key: [{ header: { keys: ["authorization"], ops: c.ops } }] };
  // the caps raised: the authrep call, with the credential in its path, is part of what is measured
  const cfg = config([service({ credentials })]);
  p = await plugin({ ...cfg, backend: { ...(cfg.backend as object), limits: HIGHEST_LIMITS } });
  const vm = p.host.instances[0];
  await p.host.request({ headers: requestHeaders("/", header("warm-up")) });
  const before = vm.memory.pages;
  const r = c.request(n);
  const headers = requestHeaders(r.path ?? "/", r.headers ?? [], "GET", r.authority ?? "example.com");
  const result = await p.host.request({ headers });
  expect(vm.failed, vm.error?.message).toBe(false);
  const grownBytes = (vm.memory.pages - before) * 64 * KIB;
  await p.close();
  p = undefined;
  return { result, grownBytes, inputBytes: requestBytes(headers) };
}

describe("memory per request is linear in the input", () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: ${c.sizes[0]} and ${c.sizes[1]} KiB`, async () => {
      for (const size of c.sizes) {
        const n = size * KIB;
        const { result, grownBytes, inputBytes } = await measure(c, n);
        const expected = c.expected(n);
        if (expected === 403) expect(result.status).toBe(403);
        else expect(authrepParams(result).user_key).toBe(expected);
        expect(grownBytes, `${name} at ${size} KiB grew ${grownBytes} bytes for ${inputBytes} input bytes`)
          .toBeLessThanOrEqual(BYTES_PER_INPUT_BYTE * inputBytes + CONSTANT_BYTES);
      }
    });
  }
});
