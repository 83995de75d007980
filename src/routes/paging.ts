/**
 * The query fields of a keyset-paged list (ARCHITECTURE.md, "Lists at scale"), and what they
 * ask for. Every field falls back to "not set", so an old bookmark (`?page=3`) or a damaged
 * link shows the first page.
 */
import { z } from "zod";
import { decodeKey, type KeyShape, type KeysetPage, type Seek } from "../db/queries/keyset.ts";
import type { AppContext } from "./context.tsx";

const keyText = z.string().max(2000).catch("");

export const pageFields = {
  /** The key of the row just before this page (Next) or just after it (Previous). */
  after: keyText,
  before: keyText,
  /** Where to start: the first letters of the sort key ("M" jumps to the family names from M). */
  from: z.string().trim().max(50).catch(""),
  last: z.enum(["1", ""]).catch(""),
};

export type PageQuery = { after: string; before: string; from: string; last: string };

/** The place the query asks for; a key that does not decode, or is not of the list's shape, asks for the first page. */
export function seekOf(query: PageQuery, shape: KeyShape): Seek {
  const keyOf = (text: string) => {
    const key = text ? decodeKey(text, shape.length) : null;
    return key && shape.valid(key) ? key : null;
  };
  const after = keyOf(query.after);
  if (after) return { kind: "after", key: after };
  const before = keyOf(query.before);
  if (before) return { kind: "before", key: before };
  if (query.last) return { kind: "last" };
  if (query.from) return { kind: "from", key: [query.from] };
  return { kind: "first" };
}

/**
 * A link past the end of the list goes to its last page (to the list itself when nothing
 * matches), keeping the filters; anything else stays where it is.
 */
export function pastTheEnd(c: AppContext, page: KeysetPage<unknown>): Response | null {
  if (page.moved !== "last") return null;
  const url = new URL(c.req.url);
  for (const name of Object.keys(pageFields)) url.searchParams.delete(name);
  if (page.rows.length) url.searchParams.set("last", "1");
  const query = url.searchParams.toString();
  return c.redirect(query ? `${url.pathname}?${query}` : url.pathname, 302);
}
