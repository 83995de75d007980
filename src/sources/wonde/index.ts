/**
 * Wonde (UK schools' MIS data) as a roster source: one school per connection, read with the
 * operator's app token (WondeApp, app.ts; uk-mis.md 1). The school object names the region's
 * address for the school (region.school_url), and the rest is read from there. Students come with their education details (UPN, admission
 * number), year, registration group, classes and contact details; employees with their
 * classes; subject classes and registration groups become the snapshot's two kinds of class.
 * Every list is read to its last page through meta.pagination.next, and a page that cannot
 * be read fails the whole read; an id repeated within a list is an error, and the first
 * record is kept. With a cursor, only what changed since (updated_after) is
 * read, with the MIS's deletions as tombstones.
 */
import { firstInList } from "../../roster/first-seen.ts";
import { type Problem, ReadFailed, type ReadOptions, type ReadSummary, type SnapshotSink, type YearGroup } from "../../roster/snapshot.ts";
import { fetchJson, type RetryPolicy } from "../http/fetch-json.ts";
import type { AddressPolicy } from "../http/outbound.ts";
import { educatorOf, learnerOf, registrationGroupOf, subjectClassOf } from "./mapping.ts";
import type { WondeClass, WondeDeletion, WondeEmployee, WondeGroup, WondeList, WondeSchool, WondeStudent } from "./types.ts";

export const WONDE_API = "https://api.wonde.com/v1.0";

/** Wonde's refusals in the admin's words: the token is the operator's, the approval the school's. */
export function wondeRefusal(status: number): string | undefined {
  if (status === 401) return "Wonde did not accept this Rollcall's app token. Ask Rollcall support: the token is theirs to set.";
  if (status === 403)
    return "The school has not approved Rollcall in Wonde yet. The school approves the app in its Wonde portal; Wonde then checks it, usually within a day.";
  if (status === 404) return "Wonde does not know this school ID. Check it on the Roster source page: it is the letter A and digits, as Wonde shows it.";
  return undefined;
}

/** Wonde refusing the app's token is the operator's to fix; an unapproved or unknown school the school's. */
export const wondeBlame = (status: number) => (status === 401 ? ("operator" as const) : ("settings" as const));

/** The school's address in its region, when the school object names one for this school. */
function regionalSchoolUrl(school: WondeSchool): string | undefined {
  const url = school.region?.school_url;
  if (!url || !URL.canParse(url) || !url.endsWith(`/schools/${school.id}`)) return undefined;
  return url.replace(/\/$/, "");
}

export interface WondeConnection {
  schoolId: string;
  token: string;
  baseUrl?: string | undefined;
  /** When the last read started ("YYYY-MM-DD HH:MM:SS", UTC), for a delta read. */
  cursor?: string | null | undefined;
}

export interface WondeReadOptions extends ReadOptions {
  /** "delta" reads only what changed since the cursor (falls back to full without one). */
  mode?: "full" | "delta" | undefined;
  perPage?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  now?: Date | undefined;
  /** Where Wonde may be reached (a base URL override is checked like any source address). */
  addresses?: AddressPolicy | undefined;
}

const STUDENT_INCLUDES = "education_details,year,registration,classes,contact_details";
const EMPLOYEE_INCLUDES = "classes,employment_details,contact_details";
const wondeTime = (date: Date) => date.toISOString().slice(0, 19).replace("T", " ");

export async function readWonde(connection: WondeConnection, sink: SnapshotSink, options: WondeReadOptions = {}): Promise<ReadSummary> {
  const base = (connection.baseUrl ?? WONDE_API).replace(/\/$/, "");
  const since = options.mode === "delta" && connection.cursor ? connection.cursor : undefined;
  // Recorded before reading, so nothing changed during the read is missed next time.
  const cursor = wondeTime(options.now ?? new Date());
  const request = {
    headers: { Authorization: `Bearer ${connection.token}` },
    source: "Wonde",
    addresses: options.addresses,
    retry: options.retry,
    signal: options.signal,
    refusal: wondeRefusal,
    blame: wondeBlame,
  };

  async function* list<T>(path: string, query: Record<string, string>): AsyncGenerator<T> {
    const params = new URLSearchParams({ per_page: String(options.perPage ?? 200), ...query, ...(since ? { updated_after: since } : {}) });
    let url: string | null = `${schoolUrl}/${path}?${params}`;
    let pages = 0;
    while (url) {
      const page: { body: WondeList<T> } = await fetchJson<WondeList<T>>(url, request);
      const body = page.body;
      if (!Array.isArray(body.data))
        throw new ReadFailed(
          `Wonde sent a page of ${path} without its records, so the sync stopped without changing anything.`,
          `no data array on ${path} page ${pages + 1}`,
          `/${path}`,
        );
      yield* body.data;
      url = body.meta?.pagination?.next ?? null;
      if (++pages > 100_000) throw new ReadFailed(`Wonde kept sending more pages of ${path}; the read was stopped.`, "pagination loop", `/${path}`);
    }
  }

  const school = await fetchJson<{ data: WondeSchool }>(`${base}/schools/${encodeURIComponent(connection.schoolId)}`, request);
  const schoolId = school.body.data.id;
  // The wrong region's address answers no data (uk-mis.md 1.1).
  const schoolUrl = regionalSchoolUrl(school.body.data) ?? `${base}/schools/${encodeURIComponent(schoolId)}`;
  sink.school({
    sourceId: schoolId,
    name: school.body.data.name,
    schoolNumber: school.body.data.establishment_number ?? undefined,
    stateId: school.body.data.urn ? String(school.body.data.urn) : undefined,
  });

  const registrationGroups = new Map<string, WondeGroup>();
  const problem = (found: Problem) => sink.problem(found);
  const firstGroup = firstInList("/groups", problem, "class");
  for await (const group of list<WondeGroup>("groups", {}))
    if (firstGroup(group.id) && group.type?.toUpperCase() === "REGISTRATION") registrationGroups.set(group.id, group);

  // Students first: their classes give each class its year groups, and their places are kept for after the classes.
  const yearsOfClass = new Map<string, Map<string, YearGroup>>();
  const places: [classId: string, studentId: string][] = [];
  const noteYear = (classId: string, year: YearGroup | undefined) => {
    if (!year) return;
    const years = yearsOfClass.get(classId) ?? new Map<string, YearGroup>();
    years.set(year.code, year);
    yearsOfClass.set(classId, years);
  };
  let read = 0;
  const firstStudent = firstInList("/students", problem, "learner");
  for await (const student of list<WondeStudent>("students", { include: STUDENT_INCLUDES })) {
    if (++read % 500 === 0) sink.progress?.("reading students", read);
    if (!firstStudent(student.id)) continue;
    const learner = learnerOf(student, schoolId, problem, "/students");
    if (!learner) continue;
    sink.learner(learner);
    const registration = student.registration?.data;
    if (registration?.id) {
      if (!registrationGroups.has(registration.id)) registrationGroups.set(registration.id, registration);
      places.push([registration.id, student.id]);
      noteYear(registration.id, learner.yearGroup);
    }
    for (const klass of student.classes?.data ?? []) {
      places.push([klass.id, student.id]);
      noteYear(klass.id, learner.yearGroup);
    }
  }

  const classIds = new Set<string>();
  const yearsOf = (id: string) => [...(yearsOfClass.get(id)?.values() ?? [])];
  const firstClass = firstInList("/classes", problem, "class");
  for await (const klass of list<WondeClass>("classes", {})) {
    if (!firstClass(klass.id)) continue;
    classIds.add(klass.id);
    sink.class(subjectClassOf(klass, schoolId, yearsOf(klass.id)));
  }
  for (const group of registrationGroups.values()) {
    classIds.add(group.id);
    sink.class(registrationGroupOf(group, schoolId, yearsOf(group.id)));
  }

  const firstEmployee = firstInList("/employees", problem, "educator");
  for await (const employee of list<WondeEmployee>("employees", { include: EMPLOYEE_INCLUDES, has_class: "true" })) {
    if (!firstEmployee(employee.id)) continue;
    const educator = educatorOf(employee, schoolId, problem, "/employees");
    if (!educator) continue;
    sink.educator(educator);
    for (const klass of employee.classes?.data ?? []) {
      if (!classIds.has(klass.id)) continue;
      sink.enrolment({ classSourceId: klass.id, personSourceId: employee.id, role: "educator", primary: Boolean(klass.meta?.is_main_teacher) });
    }
  }
  for (const [classId, studentId] of places) {
    if (classIds.has(classId)) sink.enrolment({ classSourceId: classId, personSourceId: studentId, role: "learner" });
    else if (!since)
      sink.problem({
        severity: "warning",
        file: "/students",
        entity: "enrolment",
        sourceId: studentId,
        field: "classes",
        message: `class ${classId} is not in /classes; the place was left out`,
      });
  }

  if (since) {
    for (const [type, entity] of [
      ["student", "learner"],
      ["employee", "educator"],
      ["class", "class"],
    ] as const) {
      for await (const deletion of list<WondeDeletion>("deletions", { type })) if (!deletion.restored_at) sink.tombstone({ entity, sourceId: deletion.id });
    }
  }
  sink.progress?.("read", read);
  return { source: "wonde", mode: since ? "delta" : "full", cursor };
}
