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
