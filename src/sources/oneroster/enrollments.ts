/** Enrollments: each place in a class, read after the classes and the people it refers to. */
import { Kind, kindOfRole, type ReadContext } from "./context.ts";
import type { Organisation } from "./organisation.ts";
import { booleanOf, roleOf } from "./values.ts";

export async function readEnrollments(
  ctx: ReadContext,
  { classes, deletedClasses }: Pick<Organisation, "classes" | "deletedClasses">,
  users: ReadonlyMap<string, Kind>,
): Promise<void> {
  const { read, bulk, tombstone, problems, sink, version } = ctx;
  await read("enrollments", (row, status) => {
    const classId = row.get("classSourcedId");
    const userId = row.get("userSourcedId");
    const at = { file: row.file, line: row.line, entity: "enrolment" as const, sourceId: row.get("sourcedId") };
    const userKindNow = users.get(userId);
    // Without a role column, each enrollment takes its user's own role (reported once, at line 1).
    const role = row.has("role") ? roleOf(row, "role", problems) : "";
    const roleKind = row.has("role") ? kindOfRole(role) : (userKindNow ?? Kind.Skipped);
    if (status === "deleted") {
      const kind = userKindNow ?? roleKind;
      if (kind === Kind.Learner || kind === Kind.Educator)
        tombstone({ entity: "enrolment", sourceId: at.sourceId, classSourceId: classId, personSourceId: userId });
      return;
    }
    if (!classId || !userId)
      return problems.add({ ...at, severity: "error", field: classId ? "userSourcedId" : "classSourcedId", message: "is empty; the enrollment was dropped" });
    if (deletedClasses.has(classId))
      return problems.note(
        "warning",
        row.file,
        row.line,
        "classSourcedId",
        `class "${classId}" is marked tobedeleted in classes.csv; the enrollment was not imported`,
      );
    if (bulk("enrollments") && !classes.has(classId)) {
      return problems.add({
        ...at,
        severity: "error",
        field: "classSourcedId",
        message: `"${classId}" is not a class that was read from classes.csv; the enrollment was dropped`,
      });
    }
    if (userKindNow === Kind.Dropped)
      return problems.add({
        ...at,
        severity: "error",
        field: "userSourcedId",
        message: `user "${userId}" was dropped (see users.csv); the enrollment was dropped`,
      });
    if (userKindNow === Kind.Skipped)
      return problems.note(
        "warning",
        row.file,
        row.line,
        "userSourcedId",
        `belongs to a user who is not a student or teacher ("${userId}"); the enrollment was not imported`,
      );
    if (userKindNow === undefined && bulk("enrollments")) {
      return problems.add({ ...at, severity: "error", field: "userSourcedId", message: `"${userId}" is not in users.csv; the enrollment was dropped` });
    }
    if (roleKind === Kind.Skipped)
      return problems.note("warning", row.file, row.line, "role", `"${role}" enrollments are not imported: only students and teachers are rostered`);
    let kind = userKindNow ?? roleKind;
    if (userKindNow !== undefined && userKindNow !== roleKind) {
      // The account's role wins: a student account never gains a teacher's place in a class.
      problems.note(
        "warning",
        row.file,
        row.line,
        "role",
        `says "${role}" but user "${userId}" is a ${userKindNow === Kind.Learner ? "student" : "teacher"} in ${version === "1.2" ? "roles.csv" : "users.csv"}; they were enrolled as a ${userKindNow === Kind.Learner ? "student" : "teacher"}`,
      );
      kind = userKindNow;
    }
    sink.enrolment({
      classSourceId: classId,
      personSourceId: userId,
      role: kind === Kind.Learner ? "learner" : "educator",
      primary: kind === Kind.Educator ? booleanOf(row, "primary", problems) : undefined,
    });
  });
}
