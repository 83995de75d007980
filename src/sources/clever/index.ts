/**
 * The Clever Data API v3.0 / v3.1 as a roster source (clever.md). A connection is a district
 * ID, read with the operator's Clever app (CleverApp): the district's bearer token is looked up each read
 * (tokens rotate), every list is read to its last page through `links` rel next with large
 * pages, users are deduplicated by id across roles (an id repeated within one list is an
 * error, and the first record is kept), and any page that cannot be read fails the whole read.
 */
import { firstInList } from "../../roster/first-seen.ts";
import { ReadFailed, type ReadOptions, type ReadSummary, type SnapshotSink, type Tombstone } from "../../roster/snapshot.ts";
import { fetchJson, type FetchOptions, HttpStatusError, type RetryPolicy } from "../http/fetch-json.ts";
import type { AddressPolicy } from "../http/outbound.ts";
import { classOf, educatorOf, learnerOf, schoolOf, termOf } from "./mapping.ts";
import type { CleverCourse, CleverEvent, CleverList, CleverSchool, CleverSection, CleverTerm, CleverUser } from "./types.ts";

/** The operator's Clever app: its credentials belong to whoever runs Rollcall, never to a school. */
export interface CleverApp {
  clientId: string;
  clientSecret: string;
  /** A stand-in's addresses (the embedded demo district); real Clever otherwise. */
  apiUrl?: string | undefined;
  oauthUrl?: string | undefined;
}

export interface CleverConnection {
  districtId: string;
  clientId: string;
  clientSecret: string;
  apiBaseUrl?: string | undefined;
  oauthBaseUrl?: string | undefined;
  apiVersion?: "v3.0" | "v3.1" | undefined;
  /** The newest event id seen by the last read, for an events read. */
  cursor?: string | null | undefined;
}

export interface CleverReadOptions extends ReadOptions {
  /** "events" reads only what changed since the cursor (falls back to full without one). */
  mode?: "full" | "events" | undefined;
  pageLimit?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** Where Clever may be reached (a base URL override is checked like any source address). */
  addresses?: AddressPolicy | undefined;
}

const refusal = (status: number) =>
  status === 401 ? "Clever did not accept this Rollcall's app credentials. Ask Rollcall support: the app's client ID and secret are theirs to set." : undefined;

/** Clever refusing the app's credentials is the operator's to fix; anything else the organization's. */
const blame = (status: number) => (status === 401 ? ("operator" as const) : ("settings" as const));

/** A request to Clever with the read's options and Clever's refusals in the admin's words. */
const cleverRequest = (authorization: string, options: CleverReadOptions): FetchOptions => ({
  headers: { Authorization: authorization },
  addresses: options.addresses,
  retry: options.retry,
  signal: options.signal,
  source: "Clever",
  refusal,
  blame,
});

/** Clever has no token for the district: a wrong district ID, or a district that has not connected the app. */
export class UnknownDistrict extends ReadFailed {}

interface Client {
  get<T>(pathOrUri: string): Promise<T>;
  /** Every item of a list, page by page, following rel next. */
  list<T>(path: string): AsyncGenerator<T>;
}

function clientFor(connection: CleverConnection, token: string, options: CleverReadOptions): Client {
  const base = (connection.apiBaseUrl ?? "https://api.clever.com").replace(/\/$/, "");
  const version = connection.apiVersion ?? "v3.0";
  const limit = options.pageLimit ?? 10_000;
  const fetchOptions = cleverRequest(`Bearer ${token}`, options);
  const urlOf = (pathOrUri: string) => (pathOrUri.startsWith("/v3.") ? `${base}${pathOrUri}` : `${base}/${version}${pathOrUri}`);
  return {
    async get<T>(pathOrUri: string) {
      return (await fetchJson<T>(urlOf(pathOrUri), fetchOptions)).body;
    },
    async *list<T>(path: string) {
      let next: string | undefined = `${path}${path.includes("?") ? "&" : "?"}limit=${limit}`;
      while (next) {
        const page: CleverList<T> = (await fetchJson<CleverList<T>>(urlOf(next), fetchOptions)).body;
        if (!Array.isArray(page?.data))
          throw new ReadFailed(
            "Clever sent a page without its list of records, so the sync stopped without changing anything.",
            `no data array on ${path}`,
            path,
          );
        for (const item of page.data) yield item.data;
        const link = page.links?.find((candidate) => candidate.rel === "next")?.uri;
        next = link && link !== next ? link : undefined;
      }
    },
  };
}

/** The district's current token, from the app's credentials. */
async function districtToken(connection: CleverConnection, options: CleverReadOptions): Promise<string> {
  const base = (connection.oauthBaseUrl ?? "https://clever.com").replace(/\/$/, "");
  const basic = Buffer.from(`${connection.clientId}:${connection.clientSecret}`).toString("base64");
  const { body } = await fetchJson<{ data?: { owner?: { type?: string; id?: string }; access_token?: string }[] }>(
    `${base}/oauth/tokens?owner_type=district&district=${encodeURIComponent(connection.districtId)}`,
    cleverRequest(`Basic ${basic}`, options),
  );
  const token = body.data?.find((entry) => entry.owner?.id === connection.districtId)?.access_token;
  if (!token) {
    throw new UnknownDistrict(
      `Clever does not know district ID ${connection.districtId} for Rollcall: double-check your district ID on Roster Sync Settings, and that the district has accepted the app in Clever.`,
      "no token for the district",
    ).because("settings");
  }
  return token;
}

export type DistrictCheck = { ok: true } | { ok: false; problem: "unknown district" | "app credentials" | "unreachable"; message: string };

/** Whether Clever has a token for the district, as saving a connection checks it. */
export async function checkCleverDistrict(app: CleverApp, districtId: string, options: CleverReadOptions = {}): Promise<DistrictCheck> {
  try {
    await districtToken(
      { districtId, clientId: app.clientId, clientSecret: app.clientSecret, oauthBaseUrl: app.oauthUrl },
      { retry: { attempts: 2, timeoutMs: 15_000 }, ...options },
    );
    return { ok: true };
  } catch (error) {
    if (error instanceof UnknownDistrict)
      return {
        ok: false,
        problem: "unknown district",
        message: "Clever does not know this district ID for Rollcall: double-check your district ID, and that your district has accepted the app in Clever.",
      };
    if (error instanceof HttpStatusError && error.status === 401) return { ok: false, problem: "app credentials", message: refusal(401)! };
    return {
      ok: false,
      problem: "unreachable",
      message: "Clever could not be reached just now, so the district ID was not checked. Try again in a few minutes.",
    };
  }
}

/** The newest event id now, so a later events read starts exactly where this read began. */
async function newestEventId(client: Client): Promise<string | undefined> {
  try {
    const page = await client.get<CleverList<CleverEvent>>("/events?ending_before=last&limit=1");
    return page.data?.at(-1)?.data.id;
  } catch (error) {
    // Districts that have not enabled events answer 4xx: full reads still work.
    if (error instanceof ReadFailed && "status" in error) return undefined;
    throw error;
  }
}

export async function readClever(connection: CleverConnection, sink: SnapshotSink, options: CleverReadOptions = {}): Promise<ReadSummary> {
  const token = await districtToken(connection, options);
  const client = clientFor(connection, token, options);
  const cursor = await newestEventId(client);
  if (options.mode === "events" && connection.cursor) return readEvents(client, connection.cursor, sink);
  await readEverything(client, sink);
  return { source: "clever", mode: "full", cursor };
}

async function readEverything(client: Client, sink: SnapshotSink): Promise<void> {
  const problem = sink.problem.bind(sink);
  const firstSchool = firstInList("/schools", problem, "school");
  for await (const school of client.list<CleverSchool>("/schools")) if (firstSchool(school.id)) sink.school(schoolOf(school));
  const firstTerm = firstInList("/terms", problem, "academicSession");
  for await (const term of client.list<CleverTerm>("/terms")) if (firstTerm(term.id)) sink.academicSession(termOf(term));
  const courseNames = await readCourseNames(client);

  // Users first, so sections can drop places of people who were skipped. A multi-role user
  // comes once per role query: keep each id once. Within one role's list, an id is read once.
  const people = new Set<string>();
  const firstStudent = firstInList("/users?role=student", problem, "learner");
  for await (const user of client.list<CleverUser>("/users?role=student")) {
    if (!firstStudent(user.id)) continue;
    const learner = people.has(user.id) ? null : learnerOf(user, problem, "/users?role=student");
    if (learner) {
      sink.learner(learner);
      people.add(user.id);
    }
  }
  const firstTeacher = firstInList("/users?role=teacher", problem, "educator");
  for await (const user of client.list<CleverUser>("/users?role=teacher")) {
    if (!firstTeacher(user.id)) continue;
    const educator = people.has(user.id) ? null : educatorOf(user, problem, "/users?role=teacher");
    if (educator) {
      sink.educator(educator);
      people.add(user.id);
    }
  }
  const firstSection = firstInList("/sections", problem, "class");
  for await (const section of client.list<CleverSection>("/sections")) {
    if (!firstSection(section.id)) continue;
    sink.class(classOf(section, courseNames));
    emitPlaces(section, sink, (id) => people.has(id));
  }
}

async function readCourseNames(client: Client): Promise<Map<string, string>> {
  const courseNames = new Map<string, string>();
  for await (const course of client.list<CleverCourse>("/courses")) if (course.name && !courseNames.has(course.id)) courseNames.set(course.id, course.name);
  return courseNames;
}

function emitPlaces(section: CleverSection, sink: SnapshotSink, known: (id: string) => boolean): void {
  for (const student of new Set(section.students ?? []))
    if (known(student)) sink.enrolment({ classSourceId: section.id, personSourceId: student, role: "learner" });
  const teachers = new Set([...(section.teacher ? [section.teacher] : []), ...(section.teachers ?? [])]);
  for (const teacher of teachers)
    if (known(teacher)) sink.enrolment({ classSourceId: section.id, personSourceId: teacher, role: "educator", primary: teacher === section.teacher });
}

/**
 * Events since the cursor, in order. A record's latest event wins (an update then a deletion is
 * a deletion; a deletion then a creation is the record), so events read twice, or a record
 * changed many times, come out as one record each. A section event restates the whole class.
 */
async function readEvents(client: Client, cursor: string, sink: SnapshotSink): Promise<ReadSummary> {
  const problem = sink.problem.bind(sink);
  let newest = cursor;
  const latest = new Map<string, { kind: string; change: string; object: Record<string, unknown> & { id: string } }>();
  for await (const event of client.list<CleverEvent>(`/events?starting_after=${encodeURIComponent(cursor)}`)) {
    newest = event.id;
    const [kind = "", change = ""] = event.type.split(".");
    const object = event.data?.object;
    if (!object?.id) continue;
    const key = `${kind}:${object.id}`;
    latest.delete(key);
    latest.set(key, { kind, change, object: { ...object, id: object.id } });
  }
  const order = ["schools", "terms", "users", "sections"];
  const changes = [...latest.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  // A class's course name comes from /courses, as in a full read: without it every changed class would lose it.
  const courseNames = changes.some((change) => change.kind === "sections") ? await readCourseNames(client) : new Map<string, string>();
  for (const { kind, change, object } of changes) {
    if (change === "deleted") {
      const entity = deletedEntity(kind, object);
      if (entity) sink.tombstone({ entity, sourceId: object.id });
    } else if (kind === "users") {
      const user = object as unknown as CleverUser;
      const learner = learnerOf(user, problem, "/events");
      if (learner) sink.learner(learner);
      const educator = educatorOf(user, problem, "/events");
      if (educator) sink.educator(educator);
    } else if (kind === "sections") {
      const section = object as unknown as CleverSection;
      sink.class(classOf(section, courseNames));
      emitPlaces(section, sink, () => true);
    } else if (kind === "schools") sink.school(schoolOf(object as unknown as CleverSchool));
    else if (kind === "terms") sink.academicSession(termOf(object as unknown as CleverTerm));
  }
  return { source: "clever", mode: "delta", cursor: newest, classPlaces: "whole" };
}

function deletedEntity(kind: string, object: Record<string, unknown>): Tombstone["entity"] | null {
  if (kind === "users") return object.roles && "teacher" in (object.roles as object) ? "educator" : "learner";
  return ({ sections: "class", schools: "school", terms: "academicSession" } as const)[kind as "sections"] ?? null;
}
