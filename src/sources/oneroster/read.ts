/**
 * OneRoster tables (from a CSV set or the REST API; 1.0, 1.1 or 1.2; bulk or delta) into the
 * snapshot. Tables are read in dependency order (orgs, sessions, courses, classes,
 * demographics, roles, users, enrollments), each row by row; only ids and a few small facts
 * are kept between tables, to check references and to attach demographics and roles to users.
 *
 * Row-level problems name file, line and field. An error drops the row and says what
 * depended on it; a warning keeps it.
 */
import { normaliseEmail, normaliseGrade, normaliseGrades } from "../../roster/normalise/index.ts";
import {
  type AcademicSessionType,
  type ClassKind,
  type Demographics,
  type Gender,
  type ReadSummary,
  type SnapshotSink,
  type Tombstone,
} from "../../roster/snapshot.ts";
import type { Row } from "./csv.ts";
import type { FileMode } from "./manifest.ts";
import type { Problems } from "./problems.ts";
import type { TableName } from "./tables.ts";
import { booleanOf, dateOf, enumOf, listOf, statusOf } from "./values.ts";

/** How a user takes part: as a learner, an educator, not at all (parents), or dropped (an error). */
const enum Kind {
  Skipped = 0,
  Learner = 1,
  Educator = 2,
  Dropped = 3,
}

const LEARNER_ROLES = new Set(["student"]);
const EDUCATOR_ROLES = new Set(["teacher", "aide", "proctor"]);

interface Org {
  name: string;
  type: string;
  line: number;
  identifier: string;
  parent: string;
  emitted: boolean;
}

interface UserFacts {
  dateOfBirth?: string | undefined;
  gender?: Gender | undefined;
  demographics?: Demographics | undefined;
}

interface RoleFacts {
  names: Set<string>;
  kinds: Set<Kind>;
  primaryKind?: Kind | undefined;
  orgs: string[];
}

export interface OneRosterSummary extends ReadSummary {
  version: OneRosterTables["version"];
  /** Data rows read per file, e.g. { users: 10 }. */
  rows: Partial<Record<TableName, number>>;
}

const kindOfRole = (role: string): Kind => (LEARNER_ROLES.has(role) ? Kind.Learner : EDUCATOR_ROLES.has(role) ? Kind.Educator : Kind.Skipped);

/** Where the tables come from (a CSV set, or the REST API), with each table's mode. */
export interface OneRosterTables {
  version: "1.0" | "1.1" | "1.2";
  mode: "full" | "delta";
  modes: Map<string, FileMode>;
  /** How problems name the table: "users.csv", or an API path. */
  fileName(table: TableName): string | undefined;
  /** Calls onRow for each row of the table (none when it is absent); returns the number of rows. */
  rows(table: TableName, onRow: (row: Row) => void): Promise<number>;
}

export async function readOneRoster(tables: OneRosterTables, sink: SnapshotSink, problems: Problems): Promise<OneRosterSummary> {
  const { version, modes, mode } = tables;
  const rows: OneRosterSummary["rows"] = {};
  let recordsRead = 0;

  const read = async (table: TableName, onRow: (row: Row, status: "active" | "deleted") => void) => {
    if (modes.get(table) === "absent" || !tables.fileName(table)) return;
    const fileMode = modes.get(table) ?? "bulk";
    sink.progress?.(`reading ${tables.fileName(table)}`, recordsRead);
    rows[table] = await tables.rows(table, (row) => {
      recordsRead++;
      if (recordsRead % 50_000 === 0) sink.progress?.(`reading ${row.file}`, recordsRead);
      if (!row.get("sourcedId") && table !== "demographics") {
        problems.add({ severity: "error", file: row.file, line: row.line, field: "sourcedId", message: "has no sourcedId; the row was dropped" });
        return;
      }
      onRow(row, statusOf(row, fileMode, version, problems));
    });
  };
  // References are checked wherever the table is whole (bulk files, API reads), not in deltas.
  const bulk = (table: TableName) => {
    const tableMode = modes.get(table) ?? "absent";
    return tableMode === "bulk" || tableMode === "api" || (tableMode === "absent" && mode === "full");
  };
  const tombstone = (record: Tombstone) => sink.tombstone(record);

  // Orgs: schools are emitted at once; other orgs (districts, departments) only if something uses them as a school.
  const orgs = new Map<string, Org>();
  await read("orgs", (row, status) => {
    const id = row.get("sourcedId");
    if (status === "deleted") return tombstone({ entity: "school", sourceId: id });
    const type = enumOf(row, "type", ["school", "district", "department", "local", "state", "national"], problems) ?? row.get("type");
    const org: Org = { name: row.get("name") || id, type, line: row.line, identifier: row.get("identifier"), parent: row.get("parentSourcedId"), emitted: false };
    if (!row.get("name")) problems.add({ severity: "warning", file: row.file, line: row.line, field: "name", message: "is empty; the org's sourcedId is used as its name" });
    orgs.set(id, org);
    if (type === "school") emitSchool(id, org);
  });
  // Parents are checked once every org is known, since a parent may come later in the file.
  for (const org of orgs.values()) {
    if (org.parent && !orgs.has(org.parent) && bulk("orgs")) {
      problems.add({ severity: "warning", file: tables.fileName("orgs"), line: org.line, field: "parentSourcedId", message: `"${org.parent}" is not in orgs.csv; the org was kept without its parent` });
    }
  }
  function emitSchool(id: string, org: Org) {
    org.emitted = true;
    sink.school({ sourceId: id, name: org.name, schoolNumber: org.identifier || undefined });
  }
  /** The org a class or user belongs to, as a school; undefined (with an error) when unknown in a bulk set. */
  function schoolFor(row: Row, field: string, id: string): string | undefined | null {
    const org = orgs.get(id);
    if (org) {
      if (!org.emitted) {
        problems.add({ severity: "warning", file: row.file, line: row.line, field, message: `refers to "${id}", a ${org.type || "org"} (orgs.csv line ${org.line}), not a school; it was read as a school` });
        emitSchool(id, org);
      }
      return id;
    }
    // In a delta set the school may come from an earlier read.
    return bulk("orgs") ? null : id;
  }

  const sessions = new Set<string>();
  const sessionParents: { parent: string; line: number }[] = [];
  await read("academicSessions", (row, status) => {
    const id = row.get("sourcedId");
    if (status === "deleted") return tombstone({ entity: "academicSession", sourceId: id });
    const type = enumOf<AcademicSessionType>(row, "type", ["schoolYear", "term", "semester", "gradingPeriod"], problems) ?? "term";
    const schoolYear = row.get("schoolYear");
    if (schoolYear && !/^\d{4}$/.test(schoolYear)) problems.note("warning", row.file, row.line, "schoolYear", `"${schoolYear}" is not a year like 2024; it was ignored`);
    sessions.add(id);
    if (row.get("parentSourcedId")) sessionParents.push({ parent: row.get("parentSourcedId"), line: row.line });
    sink.academicSession({
      sourceId: id,
      title: row.get("title") || id,
      type,
      startDate: dateOf(row, "startDate", problems),
      endDate: dateOf(row, "endDate", problems),
      schoolYear: /^\d{4}$/.test(schoolYear) ? Number(schoolYear) : undefined,
      parentSourceId: row.get("parentSourcedId") || undefined,
    });
  });

  for (const { parent, line } of sessionParents) {
    if (!sessions.has(parent) && bulk("academicSessions")) {
      problems.note("warning", tables.fileName("academicSessions")!, line, "parentSourcedId", `"${parent}" is not in academicSessions.csv; the session was kept without its parent`);
    }
  }

  const courses = new Map<string, { title: string; subject: string }>();
  await read("courses", (row, status) => {
    if (status === "deleted") return;
    courses.set(row.get("sourcedId"), { title: row.get("title"), subject: listOf(row, "subjects")[0] ?? "" });
  });

  const classes = new Set<string>();
  const deletedClasses = new Set<string>();
  await read("classes", (row, status) => {
    const id = row.get("sourcedId");
    if (status === "deleted") {
      deletedClasses.add(id);
      return tombstone({ entity: "class", sourceId: id });
    }
    const at = { file: row.file, line: row.line };
    const title = row.get("title");
    if (!title) return problems.add({ ...at, severity: "error", field: "title", entity: "class", sourceId: id, message: "is empty; the class was dropped, and its enrollments with it" });
    const schoolId = row.get("schoolSourcedId");
    const school = schoolId ? schoolFor(row, "schoolSourcedId", schoolId) : null;
    if (!school) {
      return problems.add({ ...at, severity: "error", field: "schoolSourcedId", entity: "class", sourceId: id, message: `${schoolId ? `"${schoolId}" is not in orgs.csv` : "is empty"}; the class was dropped, and its enrollments with it` });
    }
    const courseId = row.get("courseSourcedId");
    const course = courses.get(courseId);
    if (courseId && !course && bulk("classes")) {
      problems.note("warning", row.file, row.line, "courseSourcedId", `"${courseId}" is not in courses.csv${tables.fileName("courses") ? "" : " (the set has no courses.csv)"}; the class was kept without its course`);
    }
    const terms = listOf(row, "termSourcedIds");
    const unknownTerms = terms.filter((term) => !sessions.has(term));
    if (unknownTerms.length && bulk("classes")) problems.note("warning", row.file, row.line, "termSourcedIds", `"${unknownTerms.join(",")}" is not in academicSessions.csv; the class was kept`);
    const classType = enumOf(row, "classType", ["homeroom", "scheduled"], problems);
    const kind: ClassKind = classType === "homeroom" ? "registration_group" : "subject_class";
    const grades = listOf(row, "grades");
    const yearGroups = normaliseGrades(grades);
    if (yearGroups.length < grades.length) problems.note("warning", row.file, row.line, "grades", `"${row.get("grades")}" has a grade that is not a known grade code; it was ignored`);
    classes.add(id);
    sink.class({
      sourceId: id,
      schoolSourceId: school,
      kind,
      name: title,
      subject: listOf(row, "subjects")[0] ?? course?.subject ?? undefined,
      courseName: course?.title || undefined,
      yearGroups,
      academicSessionSourceIds: terms.filter((term) => sessions.has(term) || !bulk("classes")),
      period: listOf(row, "periods").join(", ") || undefined,
    });
  });

  // Demographics come before users, so each learner is emitted once, whole.
  const facts = new Map<string, UserFacts>();
  await read("demographics", (row, status) => {
    const id = row.get("sourcedId");
    if (!id) return problems.add({ severity: "error", file: row.file, line: row.line, field: "sourcedId", message: "has no user id; the row was dropped" });
    if (status === "deleted") return;
    const sex = enumOf(row, "sex", ["female", "male", "other", "unspecified"], problems);
    const races = (
      [
        ["americanIndianOrAlaskaNative", "American Indian or Alaska Native"],
        ["asian", "Asian"],
        ["blackOrAfricanAmerican", "Black or African American"],
        ["nativeHawaiianOrOtherPacificIslander", "Native Hawaiian or Other Pacific Islander"],
        ["white", "White"],
        ["demographicRaceTwoOrMoreRaces", "Two or more races"],
      ] as const
    ).filter(([field]) => booleanOf(row, field, problems));
    const hispanic = booleanOf(row, "hispanicOrLatinoEthnicity", problems);
    facts.set(id, {
      dateOfBirth: dateOf(row, "birthDate", problems),
      gender: sex === "female" || sex === "male" ? sex : sex === "other" ? "other" : sex === "unspecified" ? "unknown" : undefined,
      demographics: races.length || hispanic !== undefined ? { ethnicity: races.map(([, label]) => label), hispanicOrLatino: hispanic } : undefined,
    });
  });

  // 1.2: roles.csv says who is what, where.
  const roles = new Map<string, RoleFacts>();
  await read("roles", (row, status) => {
    if (status === "deleted") return;
    const userId = row.get("userSourcedId");
    const role = row.get("role");
    if (!userId || !role) return problems.add({ severity: "error", file: row.file, line: row.line, field: userId ? "role" : "userSourcedId", message: "is empty; the role was dropped" });
    const entry = roles.get(userId) ?? { names: new Set<string>(), kinds: new Set<Kind>(), orgs: [] };
    const kind = kindOfRole(role);
    entry.names.add(role);
    entry.kinds.add(kind);
    if (row.get("roleType") === "primary" && kind !== Kind.Skipped) entry.primaryKind = kind;
    const org = row.get("orgSourcedId");
    if (org && kind !== Kind.Skipped && !entry.orgs.includes(org)) entry.orgs.push(org);
    roles.set(userId, entry);
  });

  const users = new Map<string, Kind>();
  await read("users", (row, status) => {
    const id = row.get("sourcedId");
    const at = { file: row.file, line: row.line };
    const { kind, orgIds } = userKind(row, id, version, roles, problems);
    if (kind === Kind.Dropped) {
      users.set(id, Kind.Dropped);
      return;
    }
    if (status === "deleted") {
      if (kind === Kind.Learner || kind === Kind.Educator) tombstone({ entity: kind === Kind.Learner ? "learner" : "educator", sourceId: id });
      return;
    }
    if (kind === Kind.Skipped) {
      const role = row.get("role") || [...(roles.get(id)?.names ?? [])].join(" and ") || "no role";
      problems.note("warning", row.file, row.line, "role", `"${role}": the user was not imported, since only students and teachers are rostered`);
      users.set(id, Kind.Skipped);
      return;
    }
    const givenName = row.get("givenName");
    const familyName = row.get("familyName");
    if (!givenName || !familyName) {
      users.set(id, Kind.Dropped);
      return problems.add({ ...at, severity: "error", field: givenName ? "familyName" : "givenName", entity: kind === Kind.Learner ? "learner" : "educator", sourceId: id, message: "is empty; the user was dropped, and their enrollments with them" });
    }
    const schools = orgIds.map((org) => schoolFor(row, version === "1.2" ? "orgSourcedId" : "orgSourcedIds", org)).filter((school): school is string => Boolean(school));
    if (!schools.length) {
      users.set(id, Kind.Dropped);
      return problems.add({
        ...at,
        severity: "error",
        field: "orgSourcedIds",
        entity: kind === Kind.Learner ? "learner" : "educator",
        sourceId: id,
        message: `${orgIds.length ? `"${orgIds.join(",")}" is not in orgs.csv` : "is empty"}; the user was dropped, and their enrollments with them`,
      });
    }
    const email = normaliseEmail(row.get("email"));
    if (email.invalid) problems.note("warning", row.file, row.line, "email", `"${email.invalid}" is not an email address; it was left out`);
    users.set(id, kind);
    if (kind === Kind.Educator) {
      sink.educator({ sourceId: id, schoolSourceIds: schools, givenName, familyName, email: email.email, username: row.get("username") || undefined, staffNumber: row.get("identifier") || undefined });
      return;
    }
    const grade = listOf(row, "grades")[0];
    const yearGroup = normaliseGrade(grade);
    if (grade && !yearGroup) problems.note("warning", row.file, row.line, "grades", `"${grade}" is not a known grade code; the learner was kept without a grade`);
    const known = facts.get(id);
    sink.learner({
      sourceId: id,
      schoolSourceIds: schools,
      givenName,
      familyName,
      middleName: row.get("middleName") || undefined,
      preferredGivenName: row.get("preferredGivenName") || undefined,
      preferredFamilyName: row.get("preferredFamilyName") || undefined,
      dateOfBirth: known?.dateOfBirth,
      gender: known?.gender,
      demographics: known?.demographics,
      yearGroup,
      email: email.email,
      username: row.get("username") || undefined,
      studentNumber: row.get("identifier") || undefined,
    });
  });

  await read("enrollments", (row, status) => {
    const classId = row.get("classSourcedId");
    const userId = row.get("userSourcedId");
    const at = { file: row.file, line: row.line, entity: "enrolment" as const, sourceId: row.get("sourcedId") };
    const userKindNow = users.get(userId);
    const role = row.get("role");
    const roleKind = kindOfRole(role);
    if (status === "deleted") {
      const kind = userKindNow ?? roleKind;
      if (kind === Kind.Learner || kind === Kind.Educator) tombstone({ entity: "enrolment", sourceId: at.sourceId, classSourceId: classId, personSourceId: userId });
      return;
    }
    if (!classId || !userId) return problems.add({ ...at, severity: "error", field: classId ? "userSourcedId" : "classSourcedId", message: "is empty; the enrollment was dropped" });
    if (deletedClasses.has(classId)) return problems.note("warning", row.file, row.line, "classSourcedId", `class "${classId}" is marked tobedeleted in classes.csv; the enrollment was not imported`);
    if (bulk("enrollments") && !classes.has(classId)) {
      return problems.add({ ...at, severity: "error", field: "classSourcedId", message: `"${classId}" is not a class that was read from classes.csv; the enrollment was dropped` });
    }
    if (userKindNow === Kind.Dropped) return problems.add({ ...at, severity: "error", field: "userSourcedId", message: `user "${userId}" was dropped (see users.csv); the enrollment was dropped` });
    if (userKindNow === Kind.Skipped) return problems.note("warning", row.file, row.line, "userSourcedId", `belongs to a user who is not a student or teacher ("${userId}"); the enrollment was not imported`);
    if (userKindNow === undefined && bulk("enrollments")) {
      return problems.add({ ...at, severity: "error", field: "userSourcedId", message: `"${userId}" is not in users.csv; the enrollment was dropped` });
    }
    if (roleKind === Kind.Skipped) return problems.note("warning", row.file, row.line, "role", `"${role}" enrollments are not imported: only students and teachers are rostered`);
    let kind = userKindNow ?? roleKind;
    if (userKindNow !== undefined && userKindNow !== roleKind) {
      // The account's role wins: a student account never gains a teacher's place in a class.
      problems.note("warning", row.file, row.line, "role", `says "${role}" but user "${userId}" is a ${userKindNow === Kind.Learner ? "student" : "teacher"} in ${version === "1.2" ? "roles.csv" : "users.csv"}; they were enrolled as a ${userKindNow === Kind.Learner ? "student" : "teacher"}`);
      kind = userKindNow;
    }
    sink.enrolment({ classSourceId: classId, personSourceId: userId, role: kind === Kind.Learner ? "learner" : "educator", primary: kind === Kind.Educator ? booleanOf(row, "primary", problems) : undefined });
  });

  problems.finish();
  sink.progress?.("read", recordsRead);
  return { source: "oneroster", mode, version, rows };
}

/** A user's kind and orgs: from users.csv in 1.0 and 1.1, from roles.csv in 1.2. */
function userKind(row: Row, id: string, version: string, roles: Map<string, RoleFacts>, problems: Problems): { kind: Kind; orgIds: string[] } {
  const fromRoles = roles.get(id);
  if (version === "1.2" || (!row.has("role") && fromRoles)) {
    if (!fromRoles) {
      problems.note("error", row.file, row.line, "sourcedId", "has no row in roles.csv, so it is not known whether this is a student or a teacher; the user was dropped");
      return { kind: Kind.Dropped, orgIds: [] };
    }
    const importable = [...fromRoles.kinds].filter((kind) => kind !== Kind.Skipped);
    let kind = importable[0] ?? Kind.Skipped;
    if (importable.length > 1) {
      kind = fromRoles.primaryKind ?? Kind.Learner;
      problems.note("warning", row.file, row.line, "sourcedId", `is both a student and a teacher in roles.csv; the ${kind === Kind.Learner ? "student" : "teacher"} role was used`);
    }
    const primary = row.get("primaryOrgSourcedId");
    const orgIds = primary && fromRoles.orgs.includes(primary) ? [primary, ...fromRoles.orgs.filter((org) => org !== primary)] : fromRoles.orgs;
    return { kind, orgIds };
  }
  const role = row.get("role");
  if (!role) {
    problems.add({ severity: "error", file: row.file, line: row.line, field: "role", message: "is empty; the user was dropped" });
    return { kind: Kind.Dropped, orgIds: [] };
  }
  return { kind: kindOfRole(role.toLowerCase()), orgIds: listOf(row, "orgSourcedIds") };
}
