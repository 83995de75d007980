/**
 * A Wonde-compatible API v1.0 (uk-mis.md 1.1-1.4) over any set of schools: the app's token
 * (Bearer, or Basic with the token as user name), the schools that approved the app
 * (/schools) and those still pending (/schools/pending), each school's object with its
 * region pointing back at this server, and its students, employees, classes, groups,
 * contacts and deletions as pages with meta.pagination.next. Includes are returned only when
 * asked for, wrapped as Wonde wraps them; updated_after, has_class and type filter as
 * documented. A school that has not approved the app answers 403; an unknown one 404.
 * The demo UK school and the tests' stand-in both serve from it.
 */
import { Hono } from "hono";

type Json = Record<string, unknown>;

export interface WondeSchoolData {
  school: Json;
  students: Json[];
  employees: Json[];
  classes: Json[];
  groups: Json[];
  deletions: Json[];
  contacts?: Json[] | undefined;
}

export interface WondeApiOptions {
  token: string;
  /** Schools that approved the app: their data is served. */
  approved: WondeSchoolData[];
  /** School objects whose approval is pending: listed, never served. */
  pending?: Json[] | undefined;
  /** Each request's path and query, in order (tests read them). */
  requests?: string[] | undefined;
}

/** Failures for the next requests, to exercise retries. */
export class WondeFaults {
  remaining = 0;
  kind: "500" | "html" = "500";

  failNext(count: number, kind: "500" | "html" = "500"): void {
    this.remaining = count;
    this.kind = kind;
  }
}

const INCLUDES: Record<string, string[]> = {
  students: ["education_details", "year", "registration", "classes", "contact_details", "extended_details", "groups", "contacts"],
  employees: ["classes", "employment_details", "contact_details", "groups"],
};

const COLLECTIONS = new Set(["students", "employees", "classes", "groups", "deletions", "contacts"]);
const DEFAULT_PER_PAGE = 50;

const updatedAt = (record: Json) => String((record.updated_at as { date?: string } | undefined)?.date ?? "").slice(0, 19);

/** The part of a request URL before /v1.0: where this API is mounted. */
const apiBase = (url: URL) => `${url.origin}${url.pathname.slice(0, url.pathname.indexOf("/v1.0"))}/v1.0`;

/** One page of `records` and Wonde's pagination around it. */
function page(url: URL, records: Json[], includes: string[] = []): Json {
  const perPage = Math.max(1, Number(url.searchParams.get("per_page") ?? DEFAULT_PER_PAGE));
  const current = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const more = current * perPage < records.length;
  const next = new URL(url);
  next.searchParams.set("page", String(current + 1));
  return {
    data: records.slice((current - 1) * perPage, current * perPage),
    meta: {
      pagination: { next: more ? next.toString() : null, previous: current > 1 ? "previous" : null, more, per_page: perPage, current_page: current },
      includes,
    },
  };
}

/**
 * The school object as this server answers it. It stands in for Wonde's own hosts, so a school
 * of theirs (or of no region) is served from here; a school whose region names another host
 * keeps it, as a school in another region does.
 */
function regional(school: Json, url: URL): Json {
  const base = apiBase(url);
  const region = (school.region as Json | undefined) ?? {};
  const domain = typeof region.domain === "string" ? region.domain : undefined;
  if (domain && !domain.endsWith("wonde.com")) return school;
  return { ...school, region: { ...region, domain: new URL(base).host, school_url: `${base}/schools/${school.id}` } };
}

function filtered(collection: string, records: Json[], query: URLSearchParams): Json[] {
  let kept = records;
  const after = query.get("updated_after");
  if (after) kept = kept.filter((record) => updatedAt(record) > after);
  if (collection === "employees" && query.get("has_class") === "true")
    kept = kept.filter((record) => ((record.classes as { data?: unknown[] } | undefined)?.data ?? []).length > 0);
  const type = query.get("type");
  if (collection === "deletions" && type) kept = kept.filter((record) => record.type === type);
  // Includes are returned only when asked for.
  const wanted = new Set((query.get("include") ?? "").split(",").filter(Boolean));
  const optional = INCLUDES[collection] ?? [];
  return kept.map((record) => Object.fromEntries(Object.entries(record).filter(([key]) => !optional.includes(key) || wanted.has(key))));
}

export function createWondeApi(options: WondeApiOptions, faults = new WondeFaults()): Hono {
  const app = new Hono();
  const approved = new Map(options.approved.map((data) => [String(data.school.id), data]));
  const pending = new Map((options.pending ?? []).map((school) => [String(school.id), school]));

  app.use("/v1.0/*", async (c, next) => {
    const url = new URL(c.req.url);
    options.requests?.push(`${url.pathname}${url.search}`);
    const auth = c.req.header("authorization");
    if (auth !== `Bearer ${options.token}` && auth !== `Basic ${btoa(`${options.token}:`)}`) return c.json({ error: "Unauthenticated." }, 401);
    if (faults.remaining > 0) {
      faults.remaining--;
      return faults.kind === "html" ? c.html("<html><body><h1>502 Bad Gateway</h1></body></html>") : c.json({ error: "Server Error" }, 500);
    }
    await next();
  });

  app.get("/v1.0/schools", (c) => {
    const url = new URL(c.req.url);
    return c.json(
      page(
        url,
        [...approved.values()].map((data) => regional(data.school, url)),
      ),
    );
  });
  app.get("/v1.0/schools/pending", (c) => c.json(page(new URL(c.req.url), [...pending.values()])));

  /** The school's data, or the answer Wonde gives for a school that is not approved or not known. */
  const schoolData = (id: string) => {
    if (approved.has(id)) return approved.get(id)!;
    if (pending.has(id))
      return { status: 403 as const, body: { error: "Forbidden.", error_description: "The school has not approved access for this application." } };
    return { status: 404 as const, body: { error: "Not Found." } };
  };

  app.get("/v1.0/schools/:id", (c) => {
    const found = schoolData(c.req.param("id"));
    if ("status" in found) return c.json(found.body, found.status);
    return c.json({ data: regional(found.school, new URL(c.req.url)), meta: { includes: [] } });
  });

  app.get("/v1.0/schools/:id/:collection", (c) => {
    const found = schoolData(c.req.param("id"));
    if ("status" in found) return c.json(found.body, found.status);
    const collection = c.req.param("collection");
    const records = COLLECTIONS.has(collection) ? (found as unknown as Record<string, Json[] | undefined>)[collection] : undefined;
    if (!records) return c.json({ error: "Not Found." }, 404);
    const url = new URL(c.req.url);
    return c.json(page(url, filtered(collection, records, url.searchParams), INCLUDES[collection]));
  });

  return app;
}
