// Slot values the module did not write (junk, another format, bytes that are not UTF-8, a key
// differing in one byte): the request path reads only a value's head and compares its key's
// bytes in place (SharedData.readHead), and must treat them as reading the whole value did — an
// authorization slot holding one is free; a usage slot holding one is another key's until a
// report round empties it.
import { afterEach, expect, it } from "vitest";
import { SharedState } from "../../tools/host";
import { cachedConfig, gateway, user, userService, USER_SERVICE, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const SLOTS = 16;
const utf8 = (s: string) => new TextEncoder().encode(s);
/** what the slots hold before the plugin starts, cycled over the slots */
const FOREIGN: Uint8Array[] = [
  utf8("no newline at all"),
  utf8("\n"),
  utf8("1 0"),
  utf8("x y\nuser_key=uk-1"),
  new Uint8Array([0xff, 0xfe, 0x0a, 0xff]),
  new Uint8Array([0x31, 0x20, 0x30, 0x0a, 0xc3]),
  utf8("1 0\nuser_key=uk-1\u00e9"),
  utf8("7 0 200 A - 0 -\n2555417900001 user_key=uk-1"),
  utf8(`${"1".repeat(400)} 0\nuser_key=uk-1`), // a head longer than the module reads (SlotHead)
];

async function seeded(table: "a" | "u"): Promise<Gateway> {
  const shared = new SharedState();
  for (let i = 0; i < SLOTS; i++) shared.data.set("", `authrep-wasm/authrep//${table}/${i}`, FOREIGN[i % FOREIGN.length], 0);
  return gateway(cachedConfig({ cache: { max_entries: SLOTS, report_interval: 5 }, services: [userService()] }), { simulator: true, shared });
}

async function requests(n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect((await user(g!, "uk-1", { worker: i % 2 })).status).toBe(200);
}

it("takes authorization slots holding values it did not write", async () => {
  g = await seeded("a");
  await requests(4);
  expect([g.authreps().length, g.metric("cache.hits"), g.metric("cache.table_full")]).toEqual([1, 3, 0]);
  await g.advance(7_000);
  expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(4);
});

it("records in usage slots holding values it did not write once a report round has emptied them", async () => {
  g = await seeded("u");
  await requests(3); // a miss, then hits no probed slot can record: synchronous authreps
  expect([g.authreps().length, g.metric("cache.table_full")]).toEqual([3, 2]);
  await g.advance(7_000);
  await requests(3); // recorded from the cache
  expect([g.authreps().length, g.metric("cache.table_full")]).toEqual([3, 2]);
  await g.advance(7_000);
  expect(g.sim!.usage(USER_SERVICE, "uk-1", "hits")).toBe(6);
});
