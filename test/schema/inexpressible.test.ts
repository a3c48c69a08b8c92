// What JSON Schema cannot express (listed in the schema's top-level description): the module
// rejects these configurations while the schema accepts them. If one starts to agree, update
// the description.
import { afterAll, beforeAll, expect, it } from "vitest";
import { withOps } from "./cases";
import { moduleJudge, type ModuleJudge } from "./module-judge";
import { schemaAccepts } from "../support/schema-validator";

let judge: ModuleJudge;
beforeAll(async () => { judge = await moduleJudge(); });
afterAll(async () => { await judge?.close(); });

const ops = (text: string) => JSON.stringify(withOps([])).replace('"ops":[]', `"ops":${text}`);
const upstream = (fields: string) => `{"api":"v1","backend":{"upstream":{"name":"c","url":"https://x/"${fields}}}}`;
const rule = (pattern: string) => JSON.stringify({ ...withOps([]), services: [{ id: "1", authorities: [], credentials: { user_key: [] }, mapping_rules: [{ method: "GET", pattern, usages: [] }] }] });

it.each([
  ["a duplicate key", '{"api":"v1","api":"v1"}'],
  ["a duplicate operation parameter", ops('[{"split":{"max":1,"max":2}}]')],
  ["an integer written with a fraction", ops('[{"pop":2.0}]')],
  ["an integer written with an exponent", upstream(',"timeout":1e3')],
  ["u64 max + 1 (a double equal to 2^64)", upstream(',"timeout":18446744073709551616')],
  ["i64 max + 1 (a double equal to 2^63)", rule("/").replace('"usages":[]', '"usages":[{"name":"h","delta":9223372036854775808}]')],
  ["an unparsable url", upstream("").replace("https://x/", "not a url")],
  ["a url without authority", upstream("").replace("https://x/", "mailto:x@y")],
  ["a pattern that is not a regular expression", rule("/(")],
  ["an empty placeholder", rule("/a{}")],
  ["JSON nested deeper than 128 levels in an ignored field", `{"api":"v1","x":${"[".repeat(200)}${"]".repeat(200)}}`],
])("%s", async (_, text) => {
  expect(schemaAccepts(JSON.parse(text))).toBe(true);
  expect((await judge.accepts(text)).accepted).toBe(false);
});
