// C.6: faults switchable at run time.
import http from "node:http";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../tools/simulator/server";
import { appIdService, authrep, request, simulator } from "./support";

const CONFIG_PATH = "/admin/api/services/7/proxy/configs/production/latest.json?access_token=access-7";

const faultSim = () => simulator({ services: [appIdService()], providers: [{ key: "pk-7", accessTokens: ["access-7"] }] });
const allowed = (sim: Simulator) => authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "1" });

/** A request whose client gives up after `timeoutMs`, resolving with the error it failed with. */
function failure(sim: Simulator, path: string, timeoutMs?: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    const req = http.get({ port: sim.port, path, agent: false, timeout: timeoutMs }, (res) => reject(new Error(`answered ${res.statusCode}`)));
    req.on("timeout", () => req.destroy(new Error("client timeout")));
    req.on("error", resolve);
  });
}

describe("faults", () => {
  it("delay answers, which then come out normally", async () => {
    const sim = await faultSim();
    sim.inject({ delayMs: 20 });
    expect((await allowed(sim)).status).toBe(200);
    expect(sim.requests[0]!.fault).toEqual({ delayMs: 20 });
  });

  it("can delay past a caller's timeout", async () => {
    const sim = await faultSim();
    sim.inject({ delayMs: 60_000 });
    expect((await failure(sim, "/check.txt", 100)).message).toBe("client timeout");
  });

  it("close the connection without an answer", async () => {
    const sim = await faultSim();
    sim.inject({ answer: "close" });
    expect((await failure(sim, "/check.txt")).message).toMatch(/socket hang up|ECONNRESET/);
    expect(sim.requests[0]!.status).toBeUndefined();
  });

  it("answer 5xx, empty 200s, garbage and huge bodies, processing nothing", async () => {
    const sim = await faultSim();
    sim.inject({ answer: "error", times: 1 });
    sim.inject({ answer: "error", status: 500, times: 1 });
    sim.inject({ answer: "empty", times: 1 });
    sim.inject({ answer: "garbage", times: 1 });
    sim.inject({ answer: "huge", bytes: 3_000_000, times: 1 });
    const answers: Awaited<ReturnType<typeof allowed>>[] = [];
    for (let i = 0; i < 5; i++) answers.push(await allowed(sim));
    expect(answers.map((a) => a.status)).toEqual([503, 500, 200, 200, 200]);
    expect(answers.map((a) => a.body.length).slice(0, 3)).toEqual([0, 0, 0]);
    expect(answers[3]!.body).not.toMatch(/^<\?xml|^\{/);
    expect(answers[4]!.body.length).toBe(3_000_000);
    expect(sim.usage("7", "app1", "hits")).toBe(0);
    expect((await allowed(sim)).status).toBe(200);
    expect(sim.usage("7", "app1", "hits")).toBe(1);
  });

  it("serve malformed JSON from the config endpoint without touching the backend endpoints", async () => {
    const sim = await faultSim();
    sim.inject({ scope: "config", answer: "malformed-json" });
    expect((await allowed(sim)).status).toBe(200);
    const config = await request(sim, "GET", CONFIG_PATH);
    expect([config.status, config.headers["content-type"]]).toEqual([200, "application/json"]);
    expect(() => JSON.parse(config.body)).toThrow();
    sim.clearFaults();
    expect(JSON.parse((await request(sim, "GET", CONFIG_PATH)).body).proxy_config.version).toBe(1);
  });

  it("scope backend faults to the Service Management API", async () => {
    const sim = await faultSim();
    sim.inject({ scope: "backend", answer: "error" });
    expect((await request(sim, "GET", CONFIG_PATH)).status).toBe(200);
    expect((await allowed(sim)).status).toBe(503);
    expect(sim.faults.list).toEqual([{ scope: "backend", answer: "error" }]);
  });
});
