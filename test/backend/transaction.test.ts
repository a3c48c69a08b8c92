// Transaction keys are shared by every worker through shared data, old builds and new alike: the
// text must stay exactly "<service> <name>=<value> <app_key=<key>|-> <metric>=<delta>&…" and the
// hash FNV-1a over its UTF-16 code units, whatever the buffer and sharing that build it.
import { beforeAll, describe, expect, it } from "vitest";
import { loadAsUnit } from "../support/as-unit";

interface TransactionUnit {
  build(serviceId: string, name: string, value: string, appKey: string, metrics: string[], deltas: string[]): string[] | null;
  sharedWhenRepeated(value: string): boolean;
  MAX_TRANSACTION_KEY: { value: number };
}

let unit: TransactionUnit;
beforeAll(async () => { unit = await loadAsUnit<TransactionUnit>("test/as/backend/transaction.ts"); });

/** the format as the cache has always written it; metric names percent-encoded as the module does */
function expected(serviceId: string, name: string, value: string, appKey: string, metrics: string[], deltas: string[]): string {
  const sums = new Map<string, bigint>();
  metrics.forEach((m, i) => sums.set(m, (sums.get(m) ?? 0n) + BigInt(deltas[i])));
  const usage = [...sums].map(([m, d]) => `${encode(m)}=${BigInt.asIntN(64, d)}`).join("&");
  return `${serviceId} ${name}=${value} ${appKey ? `app_key=${appKey}` : "-"} ${usage}`;
}

const encode = (s: string) => [...new TextEncoder().encode(s)].map((b) => /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

describe("transaction keys", () => {
  const cases: [string, string, string, string, string[], string[]][] = [
    ["1", "user_key", "abc123", "", ["hits"], ["1"]],
    ["2555417777820", "app_id", "3c2f1a", "k%20y", ["hits", "search"], ["1", "5"]],
    ["2555417777820", "app_id", "3c2f1a", "", ["hits"], ["1"]],
    ["svc%20x", "user_key", "%E2%82%AC", "", ["hits", "ünïcode metric", "hits"], ["2", "-3", "4"]],
    ["1", "user_key", "k", "", ["a", "b"], ["-9223372036854775808", "9223372036854775807"]],
    ["1", "user_key", "k", "", ["a", "a"], ["9223372036854775807", "1"]], // sums wrap as i64
    ["1", "user_key", "k", "", ["zero"], ["0"]],
  ];
  it.each(cases)("%s %s=%s: the text and hash the cache has always stored", (...args) => {
    const text = expected(...args);
    expect(unit.build(...args)).toEqual([text, String(fnv1a(text))]);
  });

  it("stays identical when keys alternate (the last key is shared only while it repeats)", () => {
    for (let i = 0; i < 50; i++) {
      const args: [string, string, string, string, string[], string[]] = ["1", "user_key", `key${i % 3}`, i % 2 ? "" : `ak${i % 5}`, ["hits", `m${i % 4}`], ["1", String(i - 25)]];
      const text = expected(...args);
      expect(unit.build(...args)).toEqual([text, String(fnv1a(text))]);
    }
  });

  it("repeated keys share one object", () => {
    expect(unit.sharedWhenRepeated("abc")).toBe(true);
  });

  it("is cached up to the maximum length and not one character beyond, however the excess arises", () => {
    const max = unit.MAX_TRANSACTION_KEY.value;
    const fixed = "1 user_key= - hits=1".length;
    const fits = "k".repeat(max - fixed);
    expect(unit.build("1", "user_key", fits, "", ["hits"], ["1"])?.[0]).toHaveLength(max);
    expect(unit.build("1", "user_key", fits + "k", "", ["hits"], ["1"])).toBeNull();
    // the excess in a delta's digits, in the usages, in the app key, far beyond
    expect(unit.build("1", "user_key", fits, "", ["hits"], ["10"])).toBeNull();
    expect(unit.build("1", "user_key", fits.slice(4), "", ["hits", "m"], ["1", "1"])?.[0]).toHaveLength(max);
    expect(unit.build("1", "user_key", fits.slice(3), "", ["hits", "m"], ["1", "1"])).toBeNull();
    expect(unit.build("1", "app_id", "i", "k".repeat(max), ["hits"], ["1"])).toBeNull();
    expect(unit.build("1", "user_key", "k".repeat(100_000), "", ["hits"], ["1"])).toBeNull();
    const many = Array.from({ length: 5000 }, (_, i) => `metric${i}`);
    expect(unit.build("1", "user_key", "k", "", many, many.map(() => "1"))).toBeNull();
    // and a key that fits again right after
    expect(unit.build("1", "user_key", "k", "", ["hits"], ["1"])?.[0]).toBe("1 user_key=k - hits=1");
  });
});
