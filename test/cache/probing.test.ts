// Keys whose hashes share a home slot of the authorization table: each probes the next few
// slots, so all of them stay cached (and served stale) instead of evicting each other.
import { afterEach, describe, expect, it } from "vitest";
import { cachedConfig, gateway, user, USER_SERVICE, type Gateway } from "./support";

let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const SLOTS = 16;
const SLOT = "authrep-wasm/authrep//a/";

/** the transaction key of a user-key request of GET / (hits 1), as the filter writes it */
const keyText = (k: string) => `${USER_SERVICE} user_key=${k} - hits=1`;

/** FNV-1a over the UTF-16 code units, as the filter hashes transaction keys */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** `n` user keys whose transaction keys share one home slot */
function colliding(n: number): { keys: string[]; home: number } {
  const home = hash(keyText("c0")) % SLOTS;
  const keys: string[] = [];
  for (let i = 0; keys.length < n; i++) if (hash(keyText(`c${i}`)) % SLOTS === home) keys.push(`c${i}`);
  return { keys, home };
}

describe("colliding keys in the authorization table", () => {
  it("keep one authorization each in the slots after their home slot, fresh and then stale", async () => {
    g = await gateway(cachedConfig({ cache: { max_entries: SLOTS, authorization_ttl: 60, report_interval: 5 }, failure_policy: { stale_seconds: 300 } }));
    const { keys, home } = colliding(4);
    for (const [i, key] of keys.entries()) expect((await user(g, key, { worker: i % 2 })).status).toBe(200);
    expect(g.authreps()).toHaveLength(4);
    // the keys hold the four probed slots: the hash above is the filter's
    const held = keys.map((_, p) => String(g!.host.sharedData.get(`${SLOT}${(home + p) % SLOTS}`)?.value ?? "").split("\n")[1]);
    expect(held.sort()).toEqual(keys.map(keyText).sort());
    for (let round = 0; round < 3; round++) {
      for (const [i, key] of keys.entries()) expect((await user(g, key, { worker: (i + round) % 2 })).status).toBe(200);
    }
    expect(g.authreps()).toHaveLength(4);
    expect(g.metric("cache.hits")).toBe(12);
    await g.advance(60_000);
    g.backend = () => "refused";
    for (const key of keys) expect((await user(g, key)).status).toBe(200);
    expect(g.metric("failure_policy.stale_served")).toBe(4);
  });
});
