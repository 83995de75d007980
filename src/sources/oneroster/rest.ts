/**
 * The OneRoster REST binding (oneroster.md section 2) as tables for the same reader as the
 * CSV sets: an OAuth 2 client-credentials token (or every request signed with OAuth 1.0a,
 * as older 1.1 providers ask), then each collection page by page with
 * limit and offset, following the Link header's rel="next" when the provider sends one, and
 * checked against X-Total-Count. Records are flattened to the CSV columns (GUID references
 * to their sourcedId, lists to comma-separated cells), so every check and mapping is shared.
 * A page that cannot be read fails the whole read.
 */
import { ReadFailed, type SnapshotSink } from "../../roster/snapshot.ts";
import { fetchJson, type RetryPolicy } from "../http/fetch-json.ts";
import { AddressRefused, type AddressPolicy, fetchSource, policyFromEnvironment } from "../http/outbound.ts";
import { oauth1Signer } from "../http/oauth1.ts";
import { Row } from "./csv.ts";
import { Problems } from "./problems.ts";
import { type OneRosterSummary, type OneRosterTables, readOneRoster } from "./read.ts";
import type { TableName } from "./tables.ts";

/** How the provider checks requests: an OAuth 2 bearer token, or an OAuth 1.0a signature on each. */
export type OneRosterAuth = "oauth2" | "oauth1";

export interface OneRosterApiConnection {
  /** e.g. https://sis.example.org/ims/oneroster/v1p1 */
  baseUrl: string;
  /** OAuth 2 only: where the client credentials are exchanged for a token. */
  tokenUrl?: string | undefined;
  auth?: OneRosterAuth | undefined;
  clientId: string;
  clientSecret: string;
  scope?: string | undefined;
}

export interface OneRosterApiOptions {
  pageLimit?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  signal?: AbortSignal | undefined;
  /** Where the provider may be reached; the operator's setting when not given. */
  addresses?: AddressPolicy | undefined;
  /** OAuth 1.0a signing time, for tests of a provider's clock check. */
  now?: (() => number) | undefined;
  /** Read only what changed since this cursor (an ISO date-time), with the binding's dateLastModified filter. */
  since?: string | null | undefined;
}

/**
 * How far back of the read's start its cursor is put: the provider's clock and this one's may
 * differ, and a record read twice changes nothing the second time.
 */
const CURSOR_MARGIN_MS = 10 * 60_000;

const COLLECTIONS: Partial<Record<TableName, string>> = {
  orgs: "orgs",
  academicSessions: "academicSessions",
  courses: "courses",
  classes: "classes",
  demographics: "demographics",
  users: "users",
  enrollments: "enrollments",
};

type Json = Record<string, unknown>;

const idOf = (value: unknown) => (value && typeof value === "object" ? String((value as Json).sourcedId ?? "") : typeof value === "string" ? value : "");
const listCell = (value: unknown) =>
  Array.isArray(value)
    ? value.map((item) => (typeof item === "object" ? idOf(item) : String(item))).join(",")
    : value === undefined || value === null
      ? ""
      : String(value);

/** A REST record as the CSV columns of its table. */
function flatten(record: Json): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "metadata" || key === "userIds") continue;
    if (Array.isArray(value)) flat[key] = listCell(value);
    else if (value && typeof value === "object") flat[`${key}SourcedId`] = idOf(value);
    else flat[key] = value === null || value === undefined ? "" : String(value);
  }
  // The JSON names that differ from the CSV columns.
  const renames: Record<string, string> = {
    orgs: "orgSourcedIds",
    terms: "termSourcedIds",
    agents: "agentSourcedIds",
    preferredFirstName: "preferredGivenName",
    preferredLastName: "preferredFamilyName",
    parentSourcedId: "parentSourcedId",
    primaryOrgSourcedId: "primaryOrgSourcedId",
  };
  for (const [from, to] of Object.entries(renames)) {
    if (from in flat && !(to in flat)) flat[to] = flat[from]!;
  }
  if (Array.isArray(record.terms)) flat.termSourcedIds = listCell(record.terms);
  if (Array.isArray(record.orgs)) flat.orgSourcedIds = listCell(record.orgs);
  return flat;
}

/** 1.2 users carry their roles inline; they become roles.csv rows. */
function rolesOf(record: Json): Record<string, string>[] {
  if (!Array.isArray(record.roles)) return [];
  return (record.roles as Json[]).map((role) => ({
    sourcedId: `${idOf(record)}/${String(role.role)}/${idOf(role.org)}`,
    userSourcedId: idOf(record),
    roleType: String(role.roleType ?? ""),
    role: String(role.role ?? ""),
    orgSourcedId: idOf(role.org),
  }));
}

function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Every way the token address can fail (refused, silent, a TLS or HTTP error, no token) reads
 * the same to the admin, so the form cannot be used to probe what answers where; the
 * operator log has the detail.
 */
const TOKEN_FAILED =
  "Rollcall could not sign in at the OneRoster token address. Check the token address, the client ID and the client secret on the roster source page. If they are right, the server may be down; the next sync will try again.";

async function fetchToken(connection: OneRosterApiConnection, addresses: AddressPolicy, options: OneRosterApiOptions): Promise<string> {
  if (!connection.tokenUrl) throw new ReadFailed("The OneRoster connection has no token address. Enter it on the roster source page.", "no token URL");
  const body = new URLSearchParams({ grant_type: "client_credentials", ...(connection.scope ? { scope: connection.scope } : {}) });
  let response: Response;
  try {
    response = await fetchSource(
      connection.tokenUrl,
      {
        method: "POST",
        headers: {
          Authorization: `Basic ${btoa(`${connection.clientId}:${connection.clientSecret}`)}`,
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
        },
        body,
        source: "the OneRoster token address",
        signal: AbortSignal.any([...(options.signal ? [options.signal] : []), AbortSignal.timeout(options.retry?.timeoutMs ?? 30_000)]),
      },
      addresses,
    );
  } catch (error) {
    if (error instanceof AddressRefused) throw error;
    throw new ReadFailed(TOKEN_FAILED, `token request failed: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const answer = (await response.json().catch(() => ({}))) as { access_token?: unknown };
  if (!response.ok || typeof answer.access_token !== "string" || !answer.access_token) {
    throw new ReadFailed(TOKEN_FAILED, response.ok ? "token answer without access_token" : `token ${response.status}`);
  }
  return answer.access_token;
}

/** The headers of each request: a bearer token, or a fresh OAuth 1.0a signature per address. */
async function authorization(connection: OneRosterApiConnection, options: OneRosterApiOptions, addresses: AddressPolicy) {
  if (connection.auth === "oauth1") return oauth1Signer(connection, { now: options.now });
  const token = await fetchToken(connection, addresses, options);
  return { Authorization: `Bearer ${token}` };
}

const refusalOf = (auth: OneRosterAuth, collection: string) => (status: number) => {
  if (status === 401 && auth === "oauth1")
    return "The OneRoster server did not accept the client ID and secret: the signature made with them did not match. Check both on the roster source page.";
  if (status === 401 || status === 403) return `The OneRoster server refused to share ${collection} (${status}). Check the app's permissions with your SIS.`;
  return undefined;
};

export async function readOneRosterApi(connection: OneRosterApiConnection, sink: SnapshotSink, options: OneRosterApiOptions = {}): Promise<OneRosterSummary> {
  const problems = new Problems(sink);
  const addresses = options.addresses ?? policyFromEnvironment();
  const auth = connection.auth ?? "oauth2";
  const headers = await authorization(connection, options, addresses);
  const base = connection.baseUrl.replace(/\/$/, "");
  const limit = options.pageLimit ?? 1000;
  // 1.2 lives under /rostering/v1p2 (oneroster.md 2.1); its users carry their roles.
  const version: OneRosterTables["version"] = /v1p2/.test(base) ? "1.2" : "1.1";
  const cursor = new Date((options.now?.() ?? Date.now()) - CURSOR_MARGIN_MS).toISOString();
  const since = options.since ?? undefined;
  // oneroster.md 2.4: filter=field>'value', URL-encoded; records deleted since come back with status tobedeleted.
  const filter = since ? `&filter=${encodeURIComponent(`dateLastModified>'${since}'`)}` : "";

  /**
   * Every record of a collection, page by page, checked against the count the server gave.
   * A record sent twice is passed on for the reader to report: it is what offset paging
   * gives when a record is added during the read, and the first is the one kept.
   */
  async function* records(collection: string): AsyncGenerator<Json> {
    let url: string | undefined = `${base}/${collection}?limit=${limit}&offset=0${filter}`;
    let offset = 0;
    let total: number | undefined;
    let received = 0;
    while (url) {
      let page: { body: Json; headers: Headers };
      try {
        page = await fetchJson<Json>(url, {
          headers,
          addresses,
          source: "the OneRoster server",
          retry: options.retry,
          signal: options.signal,
          refusal: refusalOf(auth, collection),
        });
      } catch (error) {
        // Demographics need a scope of their own; without it the roster is still whole. An OAuth
        // 1.0a signature is the same for every collection, so its 401 is a wrong secret, not a scope.
        const notShared = auth === "oauth1" ? [403, 404] : [401, 403, 404];
        if (collection === "demographics" && notShared.includes((error as { status?: number }).status ?? 0)) {
          problems.add({
            severity: "warning",
            file: `/${collection}`,
            message: "the server does not share demographics with this app; learners were read without dates of birth",
          });
          return;
        }
        throw error;
      }
      const items = (page.body[collection] ?? []) as Json[];
      const header = page.headers.get("x-total-count");
      if (header && /^\d+$/.test(header)) total = Number(header);
      for (const item of items) {
        received++;
        yield item;
      }
      offset += items.length;
      const next = nextLink(page.headers.get("link"));
      url =
        next ??
        (items.length >= limit || (total !== undefined && offset < total && items.length > 0)
          ? `${base}/${collection}?limit=${limit}&offset=${offset}${filter}`
          : undefined);
      if (!items.length) url = undefined;
    }
    if (total !== undefined && received < total) {
      throw new ReadFailed(
        `The OneRoster server said it has ${total} ${collection} but sent ${received}, so the sync stopped without changing anything.`,
        `short read of /${collection}: ${received} of ${total}`,
        `/${collection}`,
      );
    }
  }

  const tables: OneRosterTables = {
    version,
    mode: since ? "delta" : "full",
    // Every record of an API read carries its status: read as such, with no bulk-file warnings.
    // A filtered read is a delta: its references may point at records it did not send.
    modes: new Map([...Object.keys(COLLECTIONS), "roles"].map((table) => [table, since ? "delta" : "whole"])),
    fileName: (table) => (table === "roles" ? (version === "1.2" ? "/users (roles)" : undefined) : COLLECTIONS[table] ? `/${COLLECTIONS[table]}` : undefined),
    place: "record",
    async rows(table, onRow) {
      if (table === "roles") {
        // Roles arrive inside 1.2 users: the users are read once for them, before the users table itself.
        let count = 0;
        for await (const user of records("users")) for (const role of rolesOf(user)) onRow(Row.of("/users (roles)", ++count, role));
        return count;
      }
      const collection = COLLECTIONS[table]!;
      let count = 0;
      for await (const record of records(collection)) onRow(Row.of(`/${collection}`, ++count, flatten(record)));
      return count;
    },
  };
  return { ...(await readOneRoster(tables, sink, problems)), cursor };
}
