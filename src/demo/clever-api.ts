/**
 * A Clever-compatible Data API (v3.0, clever.md sections 1.2, 2.1 and 4) over any set of
 * records: the demo district serves its generated district with it, and tests serve Clever's
 * own recorded payloads. It checks credentials the way Clever does (Basic for the token list,
 * Bearer for data), pages with `limit` and `starting_after` and `links` rel next, sends the
 * rate-limit headers, and injects faults on request.
 */
import { type Context, Hono } from "hono";

export type CleverCollection = "districts" | "schools" | "terms" | "courses" | "sections" | "students" | "teachers" | "events";

/** Records by collection, in ascending id order (Clever pages by id). */
export interface CleverRecords {
  districtId: string;
  /** Up to `limit` records of a collection after the given id (or from the start). */
  page(collection: CleverCollection, startingAfter: string | undefined, limit: number): { id: string }[];
  /** One record by id (users and sections), or undefined. */
  find(collection: "users" | "sections", id: string): { id: string } | undefined;
}

export interface CleverCredentials {
  clientId: string;
  clientSecret: string;
  accessToken: string;
}

export type FaultKind = "429" | "500" | "slow" | "truncated" | "html";

export interface Fault {
  kind: FaultKind;
  /** How many data requests get it. */
  times: number;
  /** For "slow": how long each answer waits. For "429": how long until the limit resets. */
  delayMs?: number | undefined;
  /** Only requests whose path contains this. */
  path?: string | undefined;
}

export class Faults {
  private readonly queue: Fault[] = [];
  add(fault: Fault): void {
    this.queue.push({ ...fault });
  }
  clear(): void {
    this.queue.length = 0;
  }
  /** The fault this request gets, if any (each fault is used up `times` times). */
  take(path: string): Fault | undefined {
    const fault = this.queue.find((candidate) => !candidate.path || path.includes(candidate.path));
    if (!fault) return undefined;
    if (--fault.times <= 0) this.queue.splice(this.queue.indexOf(fault), 1);
    return fault;
  }
}

const RATE_LIMIT = 1200;
const MAX_LIMIT = 10_000;
const DEFAULT_LIMIT = 100;

export function createCleverApi(records: CleverRecords, credentials: CleverCredentials, options: { faults?: Faults; log?: (path: string) => void } = {}) {
  const faults = options.faults ?? new Faults();
  const app = new Hono();
  let remaining = RATE_LIMIT;
  let windowEnds = Date.now() + 60_000;

  app.get("/oauth/tokens", (c) => {
    const expected = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64")}`;
    if (c.req.header("Authorization") !== expected) return c.json({ error: "invalid_client", error_description: "Client authentication failed" }, 401);
    if (c.req.query("owner_type") !== "district") return c.json({ error: "invalid_request", error_description: "owner_type must be district" }, 400);
    const wanted = c.req.query("district");
    const tokens =
      !wanted || wanted === records.districtId
        ? [
            {
              id: "0".repeat(24),
              created: "2026-01-01T00:00:00.000Z",
              owner: { type: "district", id: records.districtId },
              access_token: credentials.accessToken,
              scopes: ["read:students", "read:teachers", "read:sections", "read:schools"],
            },
          ]
        : [];
    return c.json({ data: tokens, links: [{ rel: "self", uri: `/oauth/tokens?owner_type=district${wanted ? `&district=${wanted}` : ""}` }] });
  });

  // Bearer auth, rate-limit headers and faults for every data request.
  app.use("/v3.0/*", async (c, next) => {
    options.log?.(c.req.path);
    if (c.req.header("Authorization") !== `Bearer ${credentials.accessToken}`) return c.json({ message: "Unauthorized" }, 401);
    if (Date.now() > windowEnds) {
      remaining = RATE_LIMIT;
      windowEnds = Date.now() + 60_000;
    }
    remaining = Math.max(0, remaining - 1);
    const fault = faults.take(c.req.path);
    const reset = String(Math.ceil((fault?.kind === "429" ? Date.now() + (fault.delayMs ?? 1000) : windowEnds) / 1000));
    c.header("X-RateLimit-Bucket", "bearer");
    c.header("X-RateLimit-Limit", String(RATE_LIMIT));
    c.header("X-RateLimit-Remaining", String(fault?.kind === "429" ? 0 : remaining));
    c.header("X-RateLimit-Reset", reset);
    c.header("X-Request-Id", crypto.randomUUID());
    if (fault?.kind === "429") return c.json({ message: "Too Many Requests" }, 429);
    if (fault?.kind === "500") return c.json({ message: "Internal Server Error" }, 500);
    if (fault?.kind === "html") return c.html("<html><body><h1>502 Bad Gateway</h1></body></html>", 502);
    if (fault?.kind === "slow") await Bun.sleep(fault.delayMs ?? 2000);
    await next();
    if (fault?.kind === "truncated") {
      const text = await c.res.text();
      c.res = new Response(text.slice(0, Math.floor(text.length / 2)), { status: 200, headers: c.res.headers });
    }
  });

  /** A list page in Clever's envelope: items as {data, uri}, links self and (when more) next. */
  function listPage(c: Context, collection: CleverCollection, path: string, query = "") {
    const requested = Number(c.req.query("limit") ?? DEFAULT_LIMIT);
    if (!Number.isInteger(requested) || requested < 1) return c.json({ message: "limit must be a positive integer" }, 400);
    if (requested > MAX_LIMIT) return c.json({ message: `limit must be at most ${MAX_LIMIT}` }, 413);
    const startingAfter = c.req.query("starting_after") || undefined;
    if (c.req.query("ending_before") === "last") {
      // The newest records, as integrations ask for the newest event id (clever.md section 5).
      const newest = records.page(collection, undefined, Number.MAX_SAFE_INTEGER).slice(-requested);
      return c.json({
        data: newest.map((item) => ({ data: item, uri: `/v3.0/${path}/${item.id}` })),
        links: [{ rel: "self", uri: `/v3.0/${path}?ending_before=last&limit=${requested}` }],
      });
    }
    // One more than asked tells whether there is a next page.
    const found = records.page(collection, startingAfter, requested + 1);
    const items = found.slice(0, requested);
    const base = `/v3.0/${path}?${query ? `${query}&` : ""}limit=${requested}`;
    const links = [{ rel: "self", uri: startingAfter ? `${base}&starting_after=${startingAfter}` : base }];
    if (found.length > requested) links.push({ rel: "next", uri: `${base}&starting_after=${items.at(-1)!.id}` });
    return c.json({ data: items.map((item) => ({ data: item, uri: `/v3.0/${path}/${item.id}` })), links });
  }

  for (const collection of ["districts", "schools", "terms", "courses", "sections", "events"] as const) {
    app.get(`/v3.0/${collection}`, (c) => listPage(c, collection, collection));
  }
  app.get("/v3.0/users", (c) => {
    const role = c.req.query("role");
    if (role === "student") return listPage(c, "students", "users", "role=student");
    if (role === "teacher") return listPage(c, "teachers", "users", "role=teacher");
    // Roles this district does not share (staff, contacts) come back empty.
    return c.json({ data: [], links: [{ rel: "self", uri: `/v3.0/users?role=${role ?? ""}` }] });
  });

  for (const collection of ["users", "sections"] as const) {
    app.get(`/v3.0/${collection}/:id`, (c) => {
      const record = records.find(collection, c.req.param("id"));
      // Clever answers an unknown or unshared id with 404 (clever.md 4.3).
      if (!record) return c.json({ message: "Resource not found" }, 404);
      return c.json({ data: record, links: [{ rel: "self", uri: `/v3.0/${collection}/${record.id}` }] });
    });
  }
  app.notFound((c) => c.html(`<pre>Cannot GET ${c.req.path}</pre>`, 404));
  return { app, faults };
}
