// The host's stand-ins for other workers between a module's read and its write: interleave
// hooks, failed CAS writes on demand, and the ignore-CAS mutation.
import { describe, expect, it } from "vitest";
import { SharedState, type SharedAccess } from "../../tools/host";
import { configuredHost, GET, header } from "./support";

const act = (test: string, extra: [string, string][] = []) => GET("/", [["x-test", test], ...extra]);

async function twoWorkers(shared = new SharedState()) {
  const host = await configuredHost("shared", "", { concurrency: 2, shared });
  const set = (worker: number, key: string, value: string, cas: number) =>
    host.request({ headers: act("set", [["x-key", key], ["x-value", value], ["x-cas", String(cas)]]), worker });
  const status = async (r: ReturnType<typeof set>) => header((await r).requestHeaders, "x-status");
  return { host, set, status };
}

describe("interleaving another worker's writes", () => {
  it("runs a hook before a module's set, whose writes make the module's token stale", async () => {
    const { host, set, status } = await twoWorkers();
    host.sharedData.set("k", "v0");
    const seen: SharedAccess[] = [];
    let other: ReturnType<typeof set> | undefined;
    const remove = host.shared.data.interleave(/^k$/, (access) => {
      seen.push(access);
      if (access.instance === "worker 0") other = set(1, "k", "from worker 1", 0); // runs now, inside worker 0's set
    });
    const cas = host.sharedData.get("k")!.cas;
    expect(await status(set(0, "k", "from worker 0", cas))).toBe("8"); // CAS_MISMATCH
    expect(await status(other!)).toBe("0");
    expect(host.sharedData.get("k")?.value).toBe("from worker 1");
    // worker 1's set ran inside the hook: it ran no hook itself
    expect(seen).toEqual([{ op: "set", instance: "worker 0", vmId: "", key: "k", value: "from worker 0", cas }]);
    remove();
    expect(await status(set(0, "k", "v2", host.sharedData.get("k")!.cas))).toBe("0");
    expect(seen).toHaveLength(1);
  });

  it("runs a hook after a module's get, with the token it answered", async () => {
    const { host } = await twoWorkers();
    host.sharedData.set("k", "v");
    const gets: SharedAccess[] = [];
    host.shared.data.interleave(/k/, (a) => gets.push(a));
    await host.request({ headers: act("get", [["x-key", "k"]]), worker: 1 });
    await host.request({ headers: act("get", [["x-key", "missing-k"]]), worker: 0 });
    expect(gets).toEqual([
      { op: "get", instance: "worker 1", vmId: "", key: "k", cas: host.sharedData.get("k")!.cas },
      { op: "get", instance: "worker 0", vmId: "", key: "missing-k", cas: 0 },
    ]);
  });

  it("fails the next N CAS writes to existing matching keys, keeping their value", async () => {
    const { host, set, status } = await twoWorkers();
    host.sharedData.set("slot-1", "held");
    const failing = host.shared.data.failCas(/^slot-/, 2);
    const cas = () => host.sharedData.get("slot-1")!.cas;
    expect(await status(set(0, "slot-1", "a", cas()))).toBe("8");
    expect(host.sharedData.get("slot-1")?.value).toBe("held");
    expect(await status(set(0, "other", "x", 5))).toBe("0"); // not matching: created
    expect(await status(set(0, "slot-2", "new", 7))).toBe("0"); // missing: created whatever the token
    expect(await status(set(1, "slot-1", "b", 0))).toBe("0"); // unconditional: not failed
    expect(await status(set(1, "slot-1", "c", cas()))).toBe("8");
    expect(failing.failed).toBe(2);
    expect(await status(set(1, "slot-1", "d", cas()))).toBe("0");
    expect(host.sharedData.get("slot-1")?.value).toBe("d");
  });

  it("ignores every module's token under the ignoreCas mutation", async () => {
    const shared = new SharedState();
    shared.data.ignoreCas = true;
    const { host, set, status } = await twoWorkers(shared);
    host.sharedData.set("k", "v");
    expect(await status(set(0, "k", "stale", host.sharedData.get("k")!.cas + 1))).toBe("0");
    expect(host.sharedData.get("k")?.value).toBe("stale");
  });
});
