/**
 * Dates to ISO YYYY-MM-DD from what sources send: ISO dates and date-times, Clever's M/D/YYYY,
 * and Wonde's date objects ({ date: "2012-09-01 00:00:00.000000", timezone, ... }).
 * Dates that do not exist (2013-02-30) give undefined.
 */
const pad = (n: number) => String(n).padStart(2, "0");

function valid(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function parseDate(raw: string | { date?: string | null } | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = (typeof raw === "string" ? raw : (raw.date ?? "")).trim();
  if (!text) return undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  if (iso) return valid(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return valid(Number(us[3]), Number(us[1]), Number(us[2]));
  return undefined;
}

/**
 * How a date is written, for sources whose files come in many shapes (OneRoster CSV):
 * - "iso": 2014-03-09, as it should be;
 * - "year-first": 2014/03/09, 2014-3-9, or a date-time (2014-03-09T00:00:00Z), read by their date;
 * - "month-first" or "day-first": 3/29/2014 or 29/3/2014 (also with dots or dashes), where a part over 12 tells which;
 * - "either": 3/9/2014, which could be either (month and day both 12 or under);
 * - "unreadable": anything else.
 * `month` and `day` follow the shape; for "either", `month` is the first part.
 */
export type DateShape = "iso" | "year-first" | "month-first" | "day-first" | "either" | "unreadable";

export function dateShape(text: string): { shape: DateShape; year: number; month: number; day: number } {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return { shape: "iso", year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  const yearFirst = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (yearFirst) return { shape: "year-first", year: Number(yearFirst[1]), month: Number(yearFirst[2]), day: Number(yearFirst[3]) };
  const yearLast = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
  if (!yearLast) return { shape: "unreadable", year: 0, month: 0, day: 0 };
  const [first, second, year] = [Number(yearLast[1]), Number(yearLast[2]), Number(yearLast[3])];
  if (first > 12 && second > 12) return { shape: "unreadable", year: 0, month: 0, day: 0 };
  if (first > 12) return { shape: "day-first", year, month: second, day: first };
  if (second > 12) return { shape: "month-first", year, month: first, day: second };
  return { shape: "either", year, month: first, day: second };
}

/** An ISO date from its parts, or undefined when the date does not exist. */
export function isoDate(year: number, month: number, day: number): string | undefined {
  return valid(year, month, day);
}
