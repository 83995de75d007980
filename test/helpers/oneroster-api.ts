/**
 * A stand-in OneRoster 1.1 REST provider on loopback, serving a CSV set's records in the
 * binding's JSON shape (oneroster.md 2.2-2.5): an OAuth 2 client-credentials token endpoint
 * (HTTP Basic), Bearer-protected collections under /ims/oneroster/v1p1, limit/offset paging
 * capped by the provider, X-Total-Count and a Link header with rel="next", GUIDRef objects
 * for references and arrays for lists. It can fail pages or under-deliver on request.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { serve } from "./collect.ts";

type Json = Record<string, unknown>;

const ref = (type: string, sourcedId: string) => (sourcedId ? { href: `/ims/oneroster/v1p1/${type}s/${sourcedId}`, sourcedId, type } : undefined);
const list = (cell: string | undefined) => (cell ? cell.split(",").map((part) => part.trim()).filter(Boolean) : []);

function rows(dir: string, file: string): Record<string, string>[] {
  return parse(readFileSync(join(dir, file)), { columns: true, bom: true, relax_column_count: true, skip_empty_lines: true }) as Record<string, string>[];
}

const base = (row: Record<string, string>) => ({ sourcedId: row.sourcedId, status: "active", dateLastModified: "2026-01-05T10:00:00.000Z" });

/** The set's records as the API returns them. */
export function collectionsFromCsv(dir: string): Record<string, Json[]> {
  return {
    orgs: rows(dir, "orgs.csv").map((row) => ({ ...base(row), name: row.name, type: row.type, identifier: row.identifier, ...(row.parentSourcedId ? { parent: ref("org", row.parentSourcedId) } : {}) })),
    academicSessions: rows(dir, "academicSessions.csv").map((row) => ({ ...base(row), title: row.title, type: row.type, startDate: row.startDate, endDate: row.endDate, schoolYear: row.schoolYear, ...(row.parentSourcedId ? { parent: ref("academicSession", row.parentSourcedId) } : {}) })),
    courses: rows(dir, "courses.csv").map((row) => ({ ...base(row), title: row.title, courseCode: row.courseCode, grades: list(row.grades), org: ref("org", row.orgSourcedId!), subjects: list(row.subjects) })),
    classes: rows(dir, "classes.csv").map((row) => ({
      ...base(row),
      title: row.title,
      classCode: row.classCode,
      classType: row.classType,
      location: row.location,
      grades: list(row.grades),
      subjects: list(row.subjects),
      course: ref("course", row.courseSourcedId!),
      school: ref("org", row.schoolSourcedId!),
      terms: list(row.termSourcedIds).map((term) => ref("academicSession", term)),
      periods: list(row.periods),
    })),
    users: rows(dir, "users.csv").map((row) => ({
      ...base(row),
      enabledUser: row.enabledUser,
      username: row.username,
      givenName: row.givenName,
      familyName: row.familyName,
      middleName: row.middleName,
      role: row.role,
      identifier: row.identifier,
      email: row.email,
      orgs: list(row.orgSourcedIds).map((org) => ref("org", org)),
      grades: list(row.grades),
      userIds: [],
    })),
    enrollments: rows(dir, "enrollments.csv").map((row) => ({ ...base(row), role: row.role, primary: row.primary || "false", class: ref("class", row.classSourcedId!), school: ref("org", row.schoolSourcedId!), user: ref("user", row.userSourcedId!) })),
    // Demographics are flat in the binding: every column as a string.
    demographics: rows(dir, "demographics.csv").map((row) => ({ ...row, ...base(row) })),
  };
}

export interface OneRosterApiStandIn {
  url: string;
  baseUrl: string;
  tokenUrl: string;
  /** Requests to the collections, in order ("/users?limit=3&offset=3"). */
  requests: string[];
  /** The next `count` collection requests answer 500. */
  failNext(count: number): void;
  /** Claims more records in X-Total-Count than it sends, for one collection. */
  overstate(collection: string | undefined): void;
  stop(): void;
}

export function startOneRosterApi(collections: Record<string, Json[]>, options: { clientId?: string; clientSecret?: string; maxPage?: number } = {}): OneRosterApiStandIn {
  const clientId = options.clientId ?? "app-id";
  const clientSecret = options.clientSecret ?? "app-secret";
  const token = crypto.randomUUID();
  const requests: string[] = [];
  let failures = 0;
  let overstated: string | undefined;

  const server = serve(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/oauth/token" && request.method === "POST") {
      const form = new URLSearchParams(await request.text());
      if (request.headers.get("authorization") !== `Basic ${btoa(`${clientId}:${clientSecret}`)}` || form.get("grant_type") !== "client_credentials") {
        return Response.json({ error: "invalid_client" }, { status: 401 });
      }
      return Response.json({ access_token: token, token_type: "bearer", expires_in: 3600 });
    }
    const match = /^\/ims\/oneroster\/v1p1\/(\w+)$/.exec(url.pathname);
    if (!match) return Response.json({ imsx_codeMajor: "failure", imsx_severity: "error", imsx_description: "unknown path", imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: "TargetEndSystem", imsx_codeMinorFieldValue: "unknownobject" }] } }, { status: 404 });
    if (request.headers.get("authorization") !== `Bearer ${token}`) return Response.json({ imsx_codeMajor: "failure", imsx_codeMinor: "unauthorisedrequest" }, { status: 401 });
    requests.push(`${url.pathname.replace("/ims/oneroster/v1p1", "")}${url.search}`);
    if (failures > 0) {
      failures--;
      return Response.json({ imsx_codeMajor: "failure", imsx_codeMinor: "internal_server_error" }, { status: 500 });
    }
    const collection = match[1]!;
    const all = collections[collection] ?? [];
    // The provider caps the page size below what was asked, as real ones do.
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 100), options.maxPage ?? 100);
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const page = all.slice(offset, offset + limit);
    const headers: Record<string, string> = { "X-Total-Count": String(all.length + (overstated === collection ? 5 : 0)) };
    if (offset + limit < all.length) headers.Link = `<${url.origin}${url.pathname}?limit=${limit}&offset=${offset + limit}>; rel="next"`;
    return Response.json({ [collection]: overstated === collection ? page.slice(0, Math.max(0, page.length - 1)) : page }, { headers });
  });

  return {
    url: server.url,
    baseUrl: `${server.url}/ims/oneroster/v1p1`,
    tokenUrl: `${server.url}/oauth/token`,
    requests,
    failNext: (count) => {
      failures = count;
    },
    overstate: (collection) => {
      overstated = collection;
    },
    stop: server.stop,
  };
}
