/** Where a roster comes from: one connector each (src/sources), one connection per source an organization uses. */
export const SOURCES = ["clever", "oneroster", "wonde"] as const;
export type Source = (typeof SOURCES)[number];

/** Each source as an admin names it. */
export const SOURCE_NAMES: Record<Source, string> = { clever: "Clever", oneroster: "OneRoster", wonde: "Wonde" };
