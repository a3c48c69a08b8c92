// Shared by the Apisonator tests: one Apisonator per test file (started before, stopped after),
// raw HTTP calls, and reads of asynchronously counted usage.
import http from "node:http";
import { afterAll, beforeAll } from "vitest";
import { type Apisonator, startApisonator } from "../../tools/apisonator/instance";
import { InternalApi } from "../../tools/apisonator/internal";
import { apisonatorForTests } from "../../tools/apisonator/locate";

/** Evaluated once per file: undefined (after the one-line skip message) when there is no Apisonator. */
export const apisonatorSource = apisonatorForTests();

export interface Backend {
  apisonator: Apisonator;
  internal: InternalApi;
}

/** Starts an Apisonator for the file (call at the top of a describe); the object is filled in beforeAll. */
export function useApisonator(): Backend {
  const backend = {} as Backend;
  beforeAll(async () => {
    backend.apisonator = await startApisonator(apisonatorSource!);
    backend.internal = new InternalApi(backend.apisonator.url);
  });
  afterAll(async () => { await backend.apisonator?.stop(); });
  return backend;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request, `path` sent byte for byte, on a fresh connection. */
export function rawCall(
  baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer within 10 s: ${method} ${path.slice(0, 200)}`)));
    req.end(body);
  });
}

/** What the module percent-encodes: every UTF-8 byte outside A-Z a-z 0-9 - . _ ~. */
export function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Apisonator's worker counts usage asynchronously (it polls its queue every second): reads until
 * `done` holds for the value, or until it has not changed for `quietMs`, and returns it.
 */
export async function settled<T>(
  read: () => Promise<T>, o: { done?: (value: T) => boolean; quietMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const { quietMs = 2500, timeoutMs = 30_000 } = o;
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  let last = JSON.stringify(value);
  let since = Date.now();
  while (!o.done?.(value)) {
    if (Date.now() - since >= quietMs) return value;
    if (Date.now() > deadline) throw new Error(`usage still changing after ${timeoutMs} ms: ${last}`);
    await sleep(200);
    value = await read();
    const text = JSON.stringify(value);
    if (text !== last) { last = text; since = Date.now(); }
  }
  return value;
}
