// Shared helpers of the simulator tests: seeds, raw HTTP requests and transaction calls.
import http from "node:http";
import { afterEach } from "vitest";
import type { Seed, SeedService } from "../../tools/simulator/seed";
import { type Simulator, startSimulator, type SimulatorOptions } from "../../tools/simulator/server";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export const PROVIDER_KEY = "pk-7";
export const SERVICE_ID = "7";
export const SERVICE_TOKEN = "tok-7";

/** An app-id service `7` (token `tok-7`) with hits > products, orders; app `app1` (key `key1`) on plan Basic. */
export function appIdService(overrides: Partial<SeedService> = {}): SeedService {
  return {
    id: SERVICE_ID, providerKey: PROVIDER_KEY, mode: "2", tokens: [SERVICE_TOKEN],
    metrics: [{ name: "hits" }, { name: "products", parent: "hits" }, { name: "orders", parent: "hits" }],
    plans: [{ name: "Basic", limits: [] }],
    applications: [{ id: "app1", keys: ["key1"] }],
    ...overrides,
  };
}

const started: Simulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

/** Starts a simulator that is closed after the test. */
export async function simulator(seed: Seed = { services: [appIdService()] }, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ seed, ...options });
  started.push(sim);
  return sim;
}

/** Sends `path` byte for byte (no URL normalisation) on a fresh connection. */
export function request(
  sim: Simulator, method: string, path: string, init: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: sim.port, method, path, headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/**
 * GET /transactions/<endpoint>.xml with `service_id=7&service_token=tok-7` first, then `params`
 * in order, inserted verbatim; a param set to undefined is left out (also the defaults).
 */
export function transaction(
  sim: Simulator, endpoint: string, params: Record<string, string | undefined>, options?: string,
): Promise<Answer> {
  const all = { service_id: SERVICE_ID, service_token: SERVICE_TOKEN, ...params };
  const query = Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join("&");
  return request(sim, "GET", `/transactions/${endpoint}.xml?${query}`, { headers: options ? { "3scale-options": options } : {} });
}

export const authrep = (sim: Simulator, params: Record<string, string | undefined>, options?: string) =>
  transaction(sim, "authrep", params, options);

export const authorizeCall = (sim: Simulator, params: Record<string, string | undefined>, options?: string) =>
  transaction(sim, "authorize", params, options);

/** The code and message of an `<error>` body. */
export function errorOf(answer: Answer): { code: string; message: string } | undefined {
  const match = /<error code="([^"]*)">(.*)<\/error>$/.exec(answer.body);
  return match ? { code: match[1]!, message: match[2]! } : undefined;
}

/** The `<reason>` of a denial body. */
export function reasonOf(answer: Answer): string | undefined {
  return /<reason>(.*?)<\/reason>/.exec(answer.body)?.[1];
}
