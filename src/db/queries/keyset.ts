/**
 * Keyset paging (ARCHITECTURE.md, "Lists at scale"): a page is addressed by the sort key of a
 * row beside it, never by an OFFSET, so the last page of a million rows costs what the first
 * does. A list orders by a key (e.g. family name, given name, id) that an index also orders
 * by; each page seeks to its place in that index and reads one page and one row more.
 */
import { type SQL, sql } from "drizzle-orm";

/** Where a page starts: the first or last page, just after or before a row's key, or at a key's start (a letter). */
export type Seek =
  | { kind: "first" }
  | { kind: "last" }
  | { kind: "after"; key: string[] }
  | { kind: "before"; key: string[] }
  | { kind: "from"; key: string[] };

export interface KeysetPage<Row> {
  rows: Row[];
  /** The key of the page's first and last rows, for the Previous and Next links. */
  firstKey: string[] | null;
  lastKey: string[] | null;
  hasPrevious: boolean;
  hasNext: boolean;
  /** The seek found nothing where it pointed (past the end, or before the start): show this instead. */
  moved: "first" | "last" | null;
}

export interface KeysetList<Row> {
  /** The sort key's expressions, in order; the index orders by them too. */
  key: SQL[];
  keyOf(row: Row): string[];
  /** The list's rows that also meet `seek` (if any), in key order (or the reverse), at most `limit`. */
  fetch(seek: SQL | undefined, order: "asc" | "desc", limit: number): Promise<Row[]>;
}

/** `(a, b, c) > (x, y, z)`: a row comparison an index on (a, b, c) answers by seeking. */
function compare(key: SQL[], op: ">" | ">=" | "<", values: string[]): SQL {
  const columns = key.slice(0, values.length);
  return sql`(${sql.join(columns, sql`, `)}) ${sql.raw(op)} (${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )})`;
}

export async function keysetPage<Row>(list: KeysetList<Row>, seek: Seek, pageSize: number): Promise<KeysetPage<Row>> {
  const page = (rows: Row[], hasPrevious: boolean, hasNext: boolean, moved: KeysetPage<Row>["moved"] = null): KeysetPage<Row> => ({
    rows,
    firstKey: rows.length ? list.keyOf(rows[0]!) : null,
    lastKey: rows.length ? list.keyOf(rows.at(-1)!) : null,
    hasPrevious,
    hasNext,
    moved,
  });
  const anyBefore = async (rows: Row[]) => rows.length > 0 && (await list.fetch(compare(list.key, "<", list.keyOf(rows[0]!)), "desc", 1)).length > 0;
  const first = async (moved: KeysetPage<Row>["moved"] = null) => {
    const rows = await list.fetch(undefined, "asc", pageSize + 1);
    return page(rows.slice(0, pageSize), false, rows.length > pageSize, moved);
  };
  const last = async (moved: KeysetPage<Row>["moved"] = null) => {
    const rows = (await list.fetch(undefined, "desc", pageSize + 1)).reverse();
    return page(rows.slice(-pageSize), rows.length > pageSize, false, moved);
  };
  switch (seek.kind) {
    case "first":
      return first();
    case "last":
      return last();
    case "before": {
      const rows = (await list.fetch(compare(list.key, "<", seek.key), "desc", pageSize + 1)).reverse();
      // Fewer than a page before it: the first page, whole, rather than a short page.
      if (rows.length <= pageSize) return first("first");
      return page(rows.slice(1), true, true);
    }
    case "after":
    case "from": {
      const rows = await list.fetch(compare(list.key, seek.kind === "after" ? ">" : ">=", seek.key), "asc", pageSize + 1);
      if (!rows.length) return last("last");
      const shown = rows.slice(0, pageSize);
      return page(shown, seek.kind === "after" || (await anyBefore(shown)), rows.length > pageSize);
    }
  }
}

/**
 * How many rows match, counted only up to `cap`: exact below it, "more than" at it, so a
 * count never reads more than cap + 1 index entries whatever the list's size.
 */
export interface CappedCount {
  count: number;
  /** True when there are more than `count` (the cap). */
  more: boolean;
}

export const capped = (found: number, cap: number): CappedCount => (found > cap ? { count: cap, more: true } : { count: found, more: false });

/** How many parts a list's key has, and whether a key from a link could be one of its rows' (an id must be an id). */
export interface KeyShape {
  length: number;
  valid(key: string[]): boolean;
}

/** A page's key in a link: JSON in base64url, so any name survives a URL. */
export function encodeKey(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** A key from a link, or null for anything that is not one (a bookmark from elsewhere, a typo). */
export function decodeKey(text: string, length: number): string[] | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === length && key.every((part) => typeof part === "string")) return key as string[];
  } catch {
    // Not a key: the caller shows the first page.
  }
  return null;
}
