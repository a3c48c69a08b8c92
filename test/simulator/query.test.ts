// A.1: query strings are parsed the way Rack does.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../tools/simulator/errors";
import { parseQuery, toPlain } from "../../tools/simulator/query";
import { authrep, errorOf, simulator } from "./support";

const parsed = (query: string) => toPlain(parseQuery(query));

function parseError(query: string): ApiError {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`${query} parsed`);
}

describe("Rack query parsing", () => {
  it("decodes + as a space and %XX escapes", () => {
    expect(parsed("user_key=a+b&app_key=a%20b%2Bc%3D")).toEqual({ user_key: "a b", app_key: "a b+c=" });
  });

  it("builds nested hashes from bracketed keys, sent literally or encoded", () => {
    expect(parsed("usage[hits]=1&usage[products]=2")).toEqual({ usage: { hits: "1", products: "2" } });
    expect(parsed("usage%5Bhits%5D=1")).toEqual(parsed("usage[hits]=1"));
  });

  it("keeps the last value of a repeated key, also inside a hash", () => {
    expect(parsed("app_id=a&app_id=b&usage[hits]=1&usage[hits]=5")).toEqual({ app_id: "b", usage: { hits: "5" } });
  });

  it("keeps insertion order of numeric keys, like a Ruby hash", () => {
    expect([...(parseQuery("t[10]=a&t[2]=b").get("t") as Map<string, unknown>).keys()]).toEqual(["10", "2"]);
  });

  it("builds lists from [] and hashes inside lists", () => {
    expect(parsed("a[]=1&a[]=2")).toEqual({ a: ["1", "2"] });
    expect(parsed("t[][x]=1&t[][y]=2&t[][x]=3")).toEqual({ t: [{ x: "1", y: "2" }, { x: "3" }] });
  });

  it("treats a name without = as valueless and skips empty pairs and names", () => {
    expect(parsed("a&&=x&b=")).toEqual({ a: null, b: "" });
  });

  it("rejects bad %-encoding with 400 bad_request", () => {
    const error = parseError("usage[hits]=%zz");
    expect([error.status, error.code, error.message]).toEqual([400, "bad_request", "Invalid query parameters: invalid %-encoding"]);
  });

  it("rejects a key used both as list and hash with 400 bad_request", () => {
    for (const query of ["usage[]=1&usage[a]=1", "usage[a]=1&usage[]=1", "usage=5&usage[a]=1"]) {
      const error = parseError(query);
      expect([error.status, error.code, error.message]).toEqual(
        [400, "bad_request", "request contains syntax errors, should not be repeated without modification"]);
    }
  });

  it("rejects names or values that are not UTF-8 with 422 not_valid_data", () => {
    for (const query of ["user_key=%FF", "%C3=1"]) {
      const error = parseError(query);
      expect([error.status, error.code, error.message]).toEqual([422, "not_valid_data", "all data must be valid UTF8"]);
    }
    expect(parsed("user_key=%C3%A9")).toEqual({ user_key: "é" });
  });
});

describe("Rack rules over HTTP", () => {
  it("authorizes usage%5Bhits%5D=1 exactly like usage[hits]=1", async () => {
    const sim = await simulator();
    const encoded = await authrep(sim, { app_id: "app1", app_key: "key1", "usage%5Bhits%5D": "1" });
    const literal = await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "1" });
    expect([encoded.status, literal.status]).toEqual([200, 200]);
    expect(sim.usage("7", "app1", "hits")).toBe(2);
  });

  it("records the last of repeated usage values", async () => {
    const sim = await simulator();
    await authrep(sim, { app_id: "app1", app_key: "key1", "usage[hits]": "3&usage[hits]=2" });
    expect(sim.usage("7", "app1", "hits")).toBe(2);
  });

  it("answers 400, 422 and 400 for bad encoding, bad UTF-8 and list/hash conflicts", async () => {
    const sim = await simulator();
    const badPercent = await authrep(sim, { app_id: "app1%", app_key: "key1" });
    const badUtf8 = await authrep(sim, { app_id: "%FFapp1", app_key: "key1" });
    const conflict = await authrep(sim, { app_id: "app1", "usage[]": "1&usage[a]=1" });
    expect([badPercent.status, errorOf(badPercent)?.code]).toEqual([400, "bad_request"]);
    expect([badUtf8.status, errorOf(badUtf8)?.code]).toEqual([422, "not_valid_data"]);
    expect([conflict.status, errorOf(conflict)?.code]).toEqual([400, "bad_request"]);
  });

  it("strips surrounding whitespace from ids and treats a blank one as absent", async () => {
    const sim = await simulator();
    expect((await authrep(sim, { service_id: "+7+", app_id: "%20app1%09", app_key: "key1" })).status).toBe(200);
    const blank = await authrep(sim, { app_id: "+", app_key: "key1" });
    expect(errorOf(blank)).toEqual({ code: "application_not_found", message: "application id is missing" });
  });
});
