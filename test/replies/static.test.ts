// Client-facing replies from the static `replies` field (docs/configuration.md §7.2): defaults stay
// the reference's, configured fields replace them one by one, invalid fields name their path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProxyWasmHost } from "../../tools/host";
import type { RequestResult } from "../../tools/host/types";
import { config, service } from "../support/configs";
import { get, plugin, WASM, type Plugin } from "../support/module";

const LIMITED = { status: 409, headers: [["3scale-rejection-reason", "limits_exceeded"]] } as const;
const DENIED = { status: 409, headers: [["3scale-rejection-reason", "user_key_invalid"]] } as const;
const JSON_TYPE = "application/json";

/** every situation of §2: [name, request target, backend answer] */
const SITUATIONS: [string, string, Plugin["answer"]][] = [
  ["auth_missing", "/products/9", { status: 200 }],
  ["auth_failed", "/products/9?user_key=k", DENIED],
  ["no_match", "POST /products/9?user_key=k", { status: 200 }],
  ["limits_exceeded", "/products/9?user_key=k", LIMITED],
];

function reply(r: RequestResult) {
  return { status: r.status, body: r.body, contentType: r.replyHeaders?.find(([k]) => k === "content-type")?.[1] };
}

async function ask(p: Plugin, target: string, answer: Plugin["answer"]): Promise<RequestResult> {
  p.answer = answer;
  const [method, path] = target.includes(" ") ? target.split(" ") : ["GET", target];
  return get(p, path!, [], method);
}

describe("default replies (no `replies`)", () => {
  let p: Plugin;
  beforeAll(async () => { p = await plugin(config()); });
  afterAll(async () => { await p.close(); });

  it.each<[string, number, string]>([
    ["auth_missing", 403, "Authentication parameters missing\n"],
    ["auth_failed", 403, "Authentication failed\n"],
    ["no_match", 404, "No Mapping Rule matched\n"],
    ["limits_exceeded", 429, "Usage limit exceeded\n"],
  ])("%s stays the reference's, without a content type", async (name, status, body) => {
    const [, path, answer] = SITUATIONS.find(([n]) => n === name)!;
    const r = await ask(p, path, answer);
    expect(reply(r)).toEqual({ status, body, contentType: undefined });
    expect(r.replyHeaders).toEqual([]);
  });
});

describe("static replies", () => {
  let p: Plugin;
  const replies = Object.fromEntries(SITUATIONS.map(([name], i) => [name, { status: 450 + i, content_type: JSON_TYPE, body: `{"error":"${name}"}` }]));
  beforeAll(async () => { p = await plugin(config([{ ...service(), replies }])); });
  afterAll(async () => { await p.close(); });

  it.each(SITUATIONS.map((s, i) => [...s, i] as const))("%s: status, content type and body as configured", async (name, path, answer, i) => {
    expect(reply(await ask(p, path, answer))).toEqual({ status: 450 + i, body: `{"error":"${name}"}`, contentType: JSON_TYPE });
  });

  it("uses auth_failed when there is no service token, and the fixed texts before a service is chosen", async () => {
    const q = await plugin(config([{ ...service({ token: null, authorities: ["example.com"] }), replies }]));
    try {
      expect(reply(await get(q, "/?user_key=k"))).toEqual({ status: 451, body: `{"error":"auth_failed"}`, contentType: JSON_TYPE });
      const unknown = await get(q, "/?user_key=k", [], "GET", "other.test");
      expect(reply(unknown)).toEqual({ status: 403, body: "Unknown service\n", contentType: undefined });
    } finally { await q.close(); }
  });

  it("keeps the reference's value for every field left out", async () => {
    const q = await plugin(config([{ ...service(), replies: { auth_missing: { status: 401 }, no_match: { content_type: "text/plain" }, auth_failed: null } }]));
    try {
      expect(reply(await ask(q, "/products/9", { status: 200 }))).toEqual({ status: 401, body: "Authentication parameters missing\n", contentType: undefined });
      expect(reply(await ask(q, "POST /?user_key=k", { status: 200 }))).toEqual({ status: 404, body: "No Mapping Rule matched\n", contentType: "text/plain" });
      expect(reply(await ask(q, "/?user_key=k", DENIED))).toEqual({ status: 403, body: "Authentication failed\n", contentType: undefined });
    } finally { await q.close(); }
  });
});

describe("invalid static fields are rejected with their path", () => {
  const host = ProxyWasmHost.create({ wasm: WASM });
  afterAll(async () => { await (await host).close(); });

  it.each<[string, unknown, string]>([
    ["replies not an object", [], "services[0].replies: expected an object, found list"],
    ["an unknown situation", { not_found: {} }, "services[0].replies.not_found: unknown field `not_found`, expected one of auth_missing, auth_failed, no_match, limits_exceeded"],
    ["an unknown reply field", { auth_failed: { headers: {} } }, "services[0].replies.auth_failed.headers: unknown field `headers`"],
    ["a status below 200", { no_match: { status: 104 } }, "services[0].replies.no_match.status: expected an integer between 200 and 599, found number 104"],
    ["a status as a string", { no_match: { status: "401" } }, "services[0].replies.no_match.status: expected an integer between 200 and 599, found string"],
    ["a body that is not a string", { auth_missing: { body: 1 } }, "services[0].replies.auth_missing.body: expected a string, found number 1"],
    ["an empty content type", { limits_exceeded: { content_type: "" } }, "services[0].replies.limits_exceeded.content_type: expected a content type, found an empty string"],
    ["a content type with a line break", { limits_exceeded: { content_type: "text/plain\r\nx-evil: 1" } }, "services[0].replies.limits_exceeded.content_type: control characters are not allowed"],
    ["rate_limit_headers not a boolean", undefined, "services[0].rate_limit_headers: expected a boolean, found string"],
  ])("%s", async (_, replies, message) => {
    const s = replies === undefined ? { ...service(), rate_limit_headers: "yes" } : { ...service(), replies };
    const r = await (await host).configure(JSON.stringify(config([s])));
    expect(r.accepted).toBe(false);
    expect(r.logs.filter((l) => l.level === "error").map((l) => l.message).join("\n")).toContain(message);
  });
});
