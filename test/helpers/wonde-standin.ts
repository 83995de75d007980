/**
 * A stand-in for Wonde's API v1.0 on loopback (uk-mis.md 1.1-1.4): token auth (Bearer, or
 * Basic with the token as user name), /schools/{id}, and the school's students, employees,
 * classes, groups and deletions as pages of `per_page` with meta.pagination.next. Includes
 * are returned only when asked for (?include=a,b), wrapped as Wonde wraps them; updated_after,
 * has_class and type filter as documented. It can fail requests or answer with a web page.
 */
import { serve } from "./collect.ts";

type Json = Record<string, unknown>;

export interface WondeData {
  school: Json;
  students: Json[];
  employees: Json[];
  classes: Json[];
  groups: Json[];
  deletions: Json[];
}

export interface WondeStandIn {
  url: string;
  requests: string[];
  data: WondeData;
  failNext(count: number, kind?: "500" | "html"): void;
  stop(): void;
}

const INCLUDES: Record<string, string[]> = {
  students: ["education_details", "year", "registration", "classes", "contact_details", "extended_details", "groups"],
  employees: ["classes", "employment_details", "contact_details", "groups"],
};

const updatedAt = (record: Json) => String((record.updated_at as { date?: string } | undefined)?.date ?? "").slice(0, 19);

export function startWondeStandIn(data: WondeData, token = "wonde-test-token"): WondeStandIn {
  const requests: string[] = [];
  let failures = 0;
  let failureKind: "500" | "html" = "500";
  const schoolId = String(data.school.id);

  const server = serve((request) => {
    const url = new URL(request.url);
    requests.push(`${url.pathname}${url.search}`);
    const auth = request.headers.get("authorization");
    if (auth !== `Bearer ${token}` && auth !== `Basic ${btoa(`${token}:`)}`) return Response.json({ error: "Unauthenticated." }, { status: 401 });
    if (failures > 0) {
      failures--;
      return failureKind === "html"
        ? new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", { status: 200, headers: { "Content-Type": "text/html" } })
        : Response.json({ error: "Server Error" }, { status: 500 });
    }
    const match = /^\/v1\.0\/schools\/([^/]+)(?:\/(\w+))?$/.exec(url.pathname);
    if (!match || match[1] !== schoolId) return Response.json({ error: "Not Found" }, { status: 404 });
    const collection = match[2];
    if (!collection) return Response.json({ data: data.school });
    let records = (data as unknown as Record<string, Json[]>)[collection];
    if (!records) return Response.json({ error: "Not Found" }, { status: 404 });
    const after = url.searchParams.get("updated_after");
    if (after) records = records.filter((record) => updatedAt(record) > after);
    if (collection === "employees" && url.searchParams.get("has_class") === "true")
      records = records.filter((record) => ((record.classes as { data?: unknown[] } | undefined)?.data ?? []).length > 0);
    if (collection === "deletions" && url.searchParams.get("type")) records = records.filter((record) => record.type === url.searchParams.get("type"));
    const wanted = new Set((url.searchParams.get("include") ?? "").split(",").filter(Boolean));
    const strip = (record: Json) =>
      Object.fromEntries(Object.entries(record).filter(([key]) => !(INCLUDES[collection] ?? []).includes(key) || wanted.has(key)));
    const perPage = Number(url.searchParams.get("per_page") ?? 50);
    const page = Number(url.searchParams.get("page") ?? 1);
    const slice = records.slice((page - 1) * perPage, page * perPage).map(strip);
    const more = page * perPage < records.length;
    const next = new URL(url);
    next.searchParams.set("page", String(page + 1));
    return Response.json({
      data: slice,
      meta: {
        pagination: { next: more ? next.toString() : null, previous: page > 1 ? "previous" : null, more, per_page: perPage, current_page: page },
        includes: INCLUDES[collection] ?? [],
      },
    });
  });

  return {
    url: `${server.url}/v1.0`,
    requests,
    data,
    failNext(count, kind = "500") {
      failures = count;
      failureKind = kind;
    },
    stop: server.stop,
  };
}
