// A.7: periods are calendar-aligned in UTC; the end of a period is the start of the next.
import { describe, expect, it } from "vitest";
import { formatTime, parseTimestamp, PERIODS, periodEnd, periodStart } from "../../tools/simulator/periods";

const at = Date.parse("2024-05-15T10:31:42.500Z"); // a Wednesday
const iso = (ms: number) => new Date(ms).toISOString();

describe("periods", () => {
  it("start at the full minute, hour, midnight, Monday, 1st and 1 January", () => {
    expect(Object.fromEntries(PERIODS.map((p) => [p, iso(periodStart(p, at))]))).toEqual({
      eternity: "1970-01-01T00:00:00.000Z",
      year: "2024-01-01T00:00:00.000Z",
      month: "2024-05-01T00:00:00.000Z",
      week: "2024-05-13T00:00:00.000Z",
      day: "2024-05-15T00:00:00.000Z",
      hour: "2024-05-15T10:00:00.000Z",
      minute: "2024-05-15T10:31:00.000Z",
    });
  });

  it("end where the next one starts; eternity ends on 9999-12-31", () => {
    expect(Object.fromEntries(PERIODS.map((p) => [p, iso(periodEnd(p, at))]))).toEqual({
      eternity: "9999-12-31T00:00:00.000Z",
      year: "2025-01-01T00:00:00.000Z",
      month: "2024-06-01T00:00:00.000Z",
      week: "2024-05-20T00:00:00.000Z",
      day: "2024-05-16T00:00:00.000Z",
      hour: "2024-05-15T11:00:00.000Z",
      minute: "2024-05-15T10:32:00.000Z",
    });
  });

  it("start a week on the same Monday from a Sunday, and December ends at the next year", () => {
    const sunday = Date.parse("2024-05-19T23:59:59Z");
    expect(iso(periodStart("week", sunday))).toBe("2024-05-13T00:00:00.000Z");
    expect(iso(periodEnd("month", Date.parse("2024-12-31T12:00:00Z")))).toBe("2025-01-01T00:00:00.000Z");
  });

  it("format as YYYY-MM-DD HH:MM:SS +0000", () => {
    expect(formatTime(periodStart("minute", at))).toBe("2024-05-15 10:31:00 +0000");
  });

  it("parse report timestamps with or without a zone", () => {
    expect(parseTimestamp("2024-05-15 10:31:00 +0000")).toBe(Date.parse("2024-05-15T10:31:00Z"));
    expect(parseTimestamp("2024-05-15 12:31:00 +0200")).toBe(Date.parse("2024-05-15T10:31:00Z"));
    expect(parseTimestamp("2024-05-15T10:31:00Z")).toBe(Date.parse("2024-05-15T10:31:00Z"));
    expect(parseTimestamp("2024-05-15 10:31:00")).toBe(Date.parse("2024-05-15T10:31:00Z"));
    expect(parseTimestamp("yesterday")).toBeUndefined();
  });
});
