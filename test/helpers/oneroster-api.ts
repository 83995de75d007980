/**
 * A stand-in OneRoster 1.1 REST provider on loopback, serving a CSV set's records in the
 * binding's JSON shape (oneroster.md 2.2-2.5): an OAuth 2 client-credentials token endpoint
 * (HTTP Basic), Bearer-protected collections under /ims/oneroster/v1p1, limit/offset paging
 * capped by the provider, X-Total-Count and a Link header with rel="next", GUIDRef objects
 * for references and arrays for lists. It can fail pages or under-deliver on request.
 *
 * With `auth: "oauth1"` it is instead a provider that checks an OAuth 1.0a signature
 * (RFC 5849, HMAC-SHA256) on every request, verified here with code of its own (not the
 * library the app signs with): the base string from the method, the address and every
 * query parameter, the consumer secret as key, a timestamp within five minutes and a nonce
 * never seen before. A request that fails any check is answered 401.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { serve } from "./collect.ts";

type Json = Record<string, unknown>;

const ref = (type: string, sourcedId: string) => (sourcedId ? { href: `/ims/oneroster/v1p1/${type}s/${sourcedId}`, sourcedId, type } : undefined);
const list = (cell: string | undefined) =>
  cell
    ? cell
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)
    : [];

function rows(dir: string, file: string): Record<string, string>[] {
  return parse(readFileSync(join(dir, file)), { columns: true, bom: true, relax_column_count: true, skip_empty_lines: true }) as Record<string, string>[];
}

const base = (row: Record<string, string>) => ({ sourcedId: row.sourcedId, status: "active", dateLastModified: "2026-01-05T10:00:00.000Z" });

/** The set's records as the API returns them. */
export function collectionsFromCsv(dir: string): Record<string, Json[]> {
  return {
    orgs: rows(dir, "orgs.csv").map((row) => ({
      ...base(row),
      name: row.name,
      type: row.type,
      identifier: row.identifier,
      ...(row.parentSourcedId ? { parent: ref("org", row.parentSourcedId) } : {}),
    })),
    academicSessions: rows(dir, "academicSessions.csv").map((row) => ({
      ...base(row),
      title: row.title,
      type: row.type,
      startDate: row.startDate,
      endDate: row.endDate,
      schoolYear: row.schoolYear,
      ...(row.parentSourcedId ? { parent: ref("academicSession", row.parentSourcedId) } : {}),
    })),
    courses: rows(dir, "courses.csv").map((row) => ({
      ...base(row),
      title: row.title,
      courseCode: row.courseCode,
      grades: list(row.grades),
      org: ref("org", row.orgSourcedId!),
      subjects: list(row.subjects),
    })),
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
    enrollments: rows(dir, "enrollments.csv").map((row) => ({
      ...base(row),
      role: row.role,
      primary: row.primary || "false",
      class: ref("class", row.classSourcedId!),
      school: ref("org", row.schoolSourcedId!),
      user: ref("user", row.userSourcedId!),
    })),
    // Demographics are flat in the binding: every column as a string.
    demographics: rows(dir, "demographics.csv").map((row) => ({ ...row, ...base(row) })),
  };
}

/** RFC 3986 percent-encoding, as RFC 5849 3.6 asks: everything but unreserved characters. */
const percent = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/** The parameters of an `Authorization: OAuth ...` header (RFC 5849 3.5.1), realm left out. */
function authorizationParameters(header: string | null): Map<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const parameters = new Map<string, string>();
  for (const match of header.slice(6).matchAll(/([A-Za-z0-9%._~-]+)\s*=\s*"([^"]*)"/g)) {
    const name = decodeURIComponent(match[1]!);
    if (name !== "realm") parameters.set(name, decodeURIComponent(match[2]!));
  }
  return parameters;
}

/** The signature base string (RFC 5849 3.4.1) of a request as this server received it. */
function signatureBaseString(method: string, url: URL, oauth: Map<string, string>): string {
  // 3.4.1.3.1: the query as application/x-www-form-urlencoded ("+" is a space), plus the header's oauth_* but the signature.
  const pairs = [...url.searchParams, ...[...oauth].filter(([name]) => name !== "oauth_signature")].map(
    ([name, value]) => [percent(name), percent(value)] as const,
  );
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const normalized = pairs.map(([name, value]) => `${name}=${value}`).join("&");
  // 3.4.1.2: scheme and host in lower case, no default port, no query or fragment (URL does all three).
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  return [method.toUpperCase(), percent(baseUri), percent(normalized)].join("&");
}

/** Why an OAuth 1.0a request is refused, or undefined when its signature and freshness hold. */
function oauth1Refusal(request: Request, url: URL, consumer: { key: string; secret: string }, seen: Set<string>, now: number): string | undefined {
  const oauth = authorizationParameters(request.headers.get("authorization"));
  if (!oauth) return "no OAuth header";
  if (oauth.get("oauth_consumer_key") !== consumer.key) return "consumer key";
  if (oauth.get("oauth_signature_method") !== "HMAC-SHA256") return "signature method";
  if (oauth.has("oauth_version") && oauth.get("oauth_version") !== "1.0") return "version";
  const timestamp = Number(oauth.get("oauth_timestamp"));
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > 300) return "timestamp";
  const expected = createHmac("sha256", `${percent(consumer.secret)}&`)
    .update(signatureBaseString(request.method, url, oauth))
    .digest();
  const given = Buffer.from(oauth.get("oauth_signature") ?? "", "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "signature";
  // A nonce is checked after the signature, so a forged request cannot use up a real one.
  const nonce = `${timestamp}:${oauth.get("oauth_nonce") ?? ""}`;
  if (!oauth.get("oauth_nonce") || seen.has(nonce)) return "nonce";
  seen.add(nonce);
  return undefined;
}

export interface OneRosterApiStandIn {
  url: string;
  baseUrl: string;
  tokenUrl: string;
  /** Requests to the collections, in order ("/users?limit=3&offset=3"). */
  requests: string[];
  /** Token requests received (OAuth 2), so a test can tell nothing was posted. */
  tokenRequests: number;
  /** Why each refused OAuth 1.0a request was refused ("signature", "timestamp", "nonce"...). */
  refusals: string[];
  /** The next `count` collection requests answer 500. */
  failNext(count: number): void;
  /** Claims more records in X-Total-Count than it sends, for one collection. */
  overstate(collection: string | undefined): void;
  stop(): void;
}

export function startOneRosterApi(
  collections: Record<string, Json[]>,
  options: { clientId?: string; clientSecret?: string; maxPage?: number; auth?: "oauth2" | "oauth1" } = {},
): OneRosterApiStandIn {
  const clientId = options.clientId ?? "app-id";
  const clientSecret = options.clientSecret ?? "app-secret";
  const token = crypto.randomUUID();
  const requests: string[] = [];
  const refusals: string[] = [];
  const nonces = new Set<string>();
  let tokenRequests = 0;
  let failures = 0;
  let overstated: string | undefined;
  const unauthorised = () => Response.json({ imsx_codeMajor: "failure", imsx_codeMinor: "unauthorisedrequest" }, { status: 401 });

  const server = serve(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/oauth/token" && request.method === "POST" && options.auth !== "oauth1") {
      tokenRequests++;
      const form = new URLSearchParams(await request.text());
      if (request.headers.get("authorization") !== `Basic ${btoa(`${clientId}:${clientSecret}`)}` || form.get("grant_type") !== "client_credentials") {
        return Response.json({ error: "invalid_client" }, { status: 401 });
      }
      return Response.json({ access_token: token, token_type: "bearer", expires_in: 3600 });
    }
    const match = /^\/ims\/oneroster\/v1p1\/(\w+)$/.exec(url.pathname);
    if (!match)
      return Response.json(
        {
          imsx_codeMajor: "failure",
          imsx_severity: "error",
          imsx_description: "unknown path",
          imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: "TargetEndSystem", imsx_codeMinorFieldValue: "unknownobject" }] },
        },
        { status: 404 },
      );
    if (options.auth === "oauth1") {
      const refusal = oauth1Refusal(request, url, { key: clientId, secret: clientSecret }, nonces, Date.now());
      if (refusal) {
        refusals.push(refusal);
        return unauthorised();
      }
    } else if (request.headers.get("authorization") !== `Bearer ${token}`) return unauthorised();
    requests.push(`${url.pathname.replace("/ims/oneroster/v1p1", "")}${url.search}`);
    if (failures > 0) {
      failures--;
      return Response.json({ imsx_codeMajor: "failure", imsx_codeMinor: "internal_server_error" }, { status: 500 });
    }
    const collection = match[1]!;
    // The binding's filter (oneroster.md 2.4) as an incremental read sends it, dateLastModified>'an ISO date-time'; other filters are not applied.
    const filter = url.searchParams.get("filter");
    const since = filter ? /^dateLastModified>'([^']+)'$/.exec(filter)?.[1] : undefined;
    const all = (collections[collection] ?? []).filter((record) => !since || String(record.dateLastModified) > since);
    // The provider caps the page size below what was asked, as real ones do.
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 100), options.maxPage ?? 100);
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const page = all.slice(offset, offset + limit);
    const headers: Record<string, string> = { "X-Total-Count": String(all.length + (overstated === collection ? 5 : 0)) };
    const filtered = filter ? `&filter=${encodeURIComponent(filter)}` : "";
    if (offset + limit < all.length) headers.Link = `<${url.origin}${url.pathname}?limit=${limit}&offset=${offset + limit}${filtered}>; rel="next"`;
    return Response.json({ [collection]: overstated === collection ? page.slice(0, Math.max(0, page.length - 1)) : page }, { headers });
  });

  return {
    url: server.url,
    baseUrl: `${server.url}/ims/oneroster/v1p1`,
    tokenUrl: `${server.url}/oauth/token`,
    requests,
    get tokenRequests() {
      return tokenRequests;
    },
    refusals,
    failNext: (count) => {
      failures = count;
    },
    overstate: (collection) => {
      overstated = collection;
    },
    stop: server.stop,
  };
}
