/**
 * The organisation tables: orgs (schools emitted at once; other orgs only when something
 * uses them as a school), academic sessions, courses (kept for their titles) and classes.
 */
import type { AcademicSessionType, ClassKind, SnapshotAcademicSession } from "../../roster/snapshot.ts";
import type { ReadContext } from "./context.ts";
import type { Row } from "./csv.ts";
import { enumOf, gradesOf, listOf } from "./values.ts";

interface Org {
  name: string;
  type: string;
  line: number;
  identifier: string;
  parent: string;
  emitted: boolean;
}

export interface Organisation {
  /** The org a class or user belongs to, as a school; null (for an error) when unknown in a whole table. */
  schoolFor(row: Row, field: string, id: string): string | null;
  classes: Set<string>;
  deletedClasses: Set<string>;
}

export async function readOrganisation(ctx: ReadContext): Promise<Organisation> {
  const { read, bulk, tombstone, problems, sink, tables, dates } = ctx;
  // Orgs: schools are emitted at once; other orgs (districts, departments) only if something uses them as a school.
  const orgs = new Map<string, Org>();
  await read("orgs", (row, status) => {
    const id = row.get("sourcedId");
    if (status === "deleted") return tombstone({ entity: "school", sourceId: id });
    const type = enumOf(row, "type", ["school", "district", "department", "local", "state", "national"], problems) ?? row.get("type");
    const org: Org = {
      name: row.get("name") || id,
      type,
      line: row.line,
      identifier: row.get("identifier"),
      parent: row.get("parentSourcedId"),
      emitted: false,
    };
    if (!row.get("name"))
      problems.add({ severity: "warning", file: row.file, line: row.line, field: "name", message: "is empty; the org's sourcedId is used as its name" });
    orgs.set(id, org);
    if (type === "school") emitSchool(id, org);
  });
  // Parents are checked once every org is known, since a parent may come later in the file.
  for (const org of orgs.values()) {
    if (org.parent && !orgs.has(org.parent) && bulk("orgs")) {
      problems.add({
        severity: "warning",
        file: tables.fileName("orgs"),
        line: org.line,
        field: "parentSourcedId",
        message: `"${org.parent}" is not in orgs.csv; the org was kept without its parent`,
      });
    }
  }
  function emitSchool(id: string, org: Org) {
    org.emitted = true;
    sink.school({ sourceId: id, name: org.name, schoolNumber: org.identifier || undefined });
  }
  function schoolFor(row: Row, field: string, id: string): string | null {
    const org = orgs.get(id);
    if (org) {
      if (!org.emitted) {
        problems.add({
          severity: "warning",
          file: row.file,
          line: row.line,
          field,
          message: `refers to "${id}", a ${org.type || "org"} (orgs.csv line ${org.line}), not a school; it was read as a school`,
        });
        emitSchool(id, org);
      }
      return id;
    }
    // In a delta set the school may come from an earlier read.
    return bulk("orgs") ? null : id;
  }

  // Sessions are emitted once their file is read: their dates are read in the set's date
  // shape, and a parent is kept only when it is a session of the file.
  const sessions = new Map<string, { record: SnapshotAcademicSession; row: { file: string; line: number; startDate: string; endDate: string } }>();
  await read("academicSessions", (row, status) => {
    const id = row.get("sourcedId");
    if (status === "deleted") return tombstone({ entity: "academicSession", sourceId: id });
    const type = enumOf<AcademicSessionType>(row, "type", ["schoolYear", "term", "semester", "gradingPeriod"], problems) ?? "term";
    const schoolYear = row.get("schoolYear");
    if (schoolYear && !/^\d{4}$/.test(schoolYear))
      problems.note("warning", row.file, row.line, "schoolYear", `"${schoolYear}" is not a year like 2024; it was ignored`);
    const [startDate, endDate] = [row.get("startDate"), row.get("endDate")];
    dates.observe(startDate);
    dates.observe(endDate);
    sessions.set(id, {
      record: {
        sourceId: id,
        title: row.get("title") || id,
        type,
        schoolYear: /^\d{4}$/.test(schoolYear) ? Number(schoolYear) : undefined,
        parentSourceId: row.get("parentSourcedId") || undefined,
      },
      row: { file: row.file, line: row.line, startDate, endDate },
    });
  });
  for (const { record, row } of sessions.values()) {
    const parent = record.parentSourceId;
    if (parent && !sessions.has(parent) && bulk("academicSessions")) {
      problems.note("warning", row.file, row.line, "parentSourcedId", `"${parent}" is not in academicSessions.csv; the session was kept without its parent`);
      record.parentSourceId = undefined;
    }
    record.startDate = dates.read(row.startDate, { file: row.file, line: row.line, field: "startDate" });
    record.endDate = dates.read(row.endDate, { file: row.file, line: row.line, field: "endDate" });
    sink.academicSession(record);
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
    if (!title)
      return problems.add({
        ...at,
        severity: "error",
        field: "title",
        entity: "class",
        sourceId: id,
        message: "is empty; the class was dropped, and its enrollments with it",
      });
    const schoolId = row.get("schoolSourcedId");
    const school = schoolId ? schoolFor(row, "schoolSourcedId", schoolId) : null;
    if (!school) {
      return problems.add({
        ...at,
        severity: "error",
        field: "schoolSourcedId",
        entity: "class",
        sourceId: id,
        message: `${schoolId ? `"${schoolId}" is not in orgs.csv` : "is empty"}; the class was dropped, and its enrollments with it`,
      });
    }
    const courseId = row.get("courseSourcedId");
    const course = courses.get(courseId);
    if (courseId && !course && bulk("classes")) {
      problems.note(
        "warning",
        row.file,
        row.line,
        "courseSourcedId",
        `"${courseId}" is not in courses.csv${tables.fileName("courses") ? "" : " (the set has no courses.csv)"}; the class was kept without its course`,
      );
    }
    const terms = listOf(row, "termSourcedIds");
    const unknownTerms = terms.filter((term) => !sessions.has(term));
    if (unknownTerms.length && bulk("classes"))
      problems.note("warning", row.file, row.line, "termSourcedIds", `"${unknownTerms.join(",")}" is not in academicSessions.csv; the class was kept`);
    const classType = enumOf(row, "classType", ["homeroom", "scheduled"], problems);
    const kind: ClassKind = classType === "homeroom" ? "registration_group" : "subject_class";
    const { grades: yearGroups, unknown } = gradesOf(row, "grades", problems);
    if (unknown.length) problems.note("warning", row.file, row.line, "grades", `"${unknown.join(",")}" is not a known grade code; it was ignored`);
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
  return { schoolFor, classes, deletedClasses };
}
