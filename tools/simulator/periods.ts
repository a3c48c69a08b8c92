// Calendar periods of 3scale usage limits (tools/simulator/README.md), all computed in UTC.

/** Longest first: the order of usage reports and of the limit-header scan. */
export const PERIODS = ["eternity", "year", "month", "week", "day", "hour", "minute"] as const;
export type Period = (typeof PERIODS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ETERNITY_END = Date.UTC(9999, 11, 31);

export function isPeriod(value: unknown): value is Period {
  return typeof value === "string" && (PERIODS as readonly string[]).includes(value);
}

/** Start (ms since epoch) of the period instance containing `at`. */
export function periodStart(period: Period, at: number): number {
  const d = new Date(at);
  switch (period) {
    case "eternity": return 0;
    case "year": return Date.UTC(d.getUTCFullYear(), 0, 1);
    case "month": return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case "week": {
      const midnight = at - (at % DAY);
      return midnight - ((d.getUTCDay() + 6) % 7) * DAY; // weeks start on Monday
    }
    case "day": return at - (at % DAY);
    case "hour": return at - (at % HOUR);
    case "minute": return at - (at % MINUTE);
  }
}

/** End of the period instance containing `at`, which is the start of the next one. */
export function periodEnd(period: Period, at: number): number {
  const start = periodStart(period, at);
  const d = new Date(start);
  switch (period) {
    case "eternity": return ETERNITY_END;
    case "year": return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    case "month": return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case "week": return start + 7 * DAY;
    case "day": return start + DAY;
    case "hour": return start + HOUR;
    case "minute": return start + MINUTE;
  }
}

/** `YYYY-MM-DD HH:MM:SS +0000`, the format of period_start/period_end. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " +0000");
}

/**
 * Parses a report timestamp (`2024-05-15 10:31:00 +0000`, ISO 8601 too); no zone means UTC.
 * Returns undefined when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (!zone || /^(z|utc)$/i.test(zone)) return local;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.replace(/[+:-]/g, "");
  return local - sign * (+digits.slice(0, 2) * HOUR + +digits.slice(2) * MINUTE);
}
