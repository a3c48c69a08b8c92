// docs/configuration.md §9: rule and request methods.
import { beforeAll, describe, expect, it } from "vitest";
import { loadRules, type RulesUnit } from "./support";

let m: RulesUnit;
beforeAll(async () => {
  m = await loadRules("method");
});

describe("§4.1 method", () => {
  it.each([
    ["get", "GET"],
    ["gEt", "GET"],
    ["PURGE", "PURGE"],
    ["future_method", "FUTURE_METHOD"],
    ["pöst", "PöST"], // ASCII only
    ["", ""],
  ])("upper-cases %j as %j", (method, upper) => {
    expect(m.upperMethod(method)).toBe(upper);
  });

  it.each([
    ["GET", "GET", true],
    ["get", "GET", true],
    ["GET", "get", true],
    ["GET", "POST", false],
    ["ANY", "DELETE", true],
    ["any", "PATCH", true],
    ["PURGE", "purge", true],
    ["FUTURE_METHOD", "future_method", true],
    ["FOO", "BAR", false],
    // a request whose method is literally ANY matches every rule
    ["POST", "any", true],
    ["ANYTHING", "GET", false],
  ])("rule %s, request %s: %s", (rule, request, expected) => {
    expect(m.ruleMethodMatches(rule, request)).toBe(expected);
  });
});
