/**
 * How each roster entity's fields become table columns. One spec per table drives the same
 * set-based writer (entities.ts), so learners, educators, classes, schools and sessions are
 * written by one piece of code.
 */
import type { LinkEntity } from "../../db/schema/roster.ts";
import type { AcademicSessionFields, ClassFields, EducatorFields, LearnerFields, SchoolFields } from "../reconcile/types.ts";

/** Source id -> row id, for references between entities (a learner's school, a class's session). */
export interface Resolver {
  school(sourceId: string | null): string | null;
  academicSession(sourceId: string | null): string | null;
  yearGroup(code: string | null, label: string | null): string | null;
}

export interface EntitySpec<Fields> {
  entity: LinkEntity;
  table: string;
  /** Column name -> Postgres type, in the order values() returns them. */
  columns: readonly (readonly [string, string])[];
  values(fields: Fields, resolve: Resolver): unknown[];
}

export const schoolSpec: EntitySpec<SchoolFields> = {
  entity: "school",
  table: "schools",
  columns: [
    ["name", "text"],
    ["school_number", "text"],
    ["state_id", "text"],
    ["low_grade", "text"],
    ["high_grade", "text"],
  ],
  values: (f) => [f.name, f.schoolNumber, f.stateId, f.lowGrade, f.highGrade],
};

export const academicSessionSpec: EntitySpec<AcademicSessionFields> = {
  entity: "academicSession",
  table: "academic_sessions",
  columns: [
    ["school_id", "uuid"],
    ["title", "text"],
    ["type", "text"],
    ["start_date", "date"],
    ["end_date", "date"],
    ["school_year", "integer"],
  ],
  values: (f, resolve) => [resolve.school(f.schoolSourceId), f.title, f.type, f.startDate, f.endDate, f.schoolYear],
};

export const classSpec: EntitySpec<ClassFields> = {
  entity: "class",
  table: "classes",
  columns: [
    ["school_id", "uuid"],
    ["academic_session_id", "uuid"],
    ["kind", "text"],
    ["name", "text"],
    ["name_override", "text"],
    ["subject", "text"],
    ["course_name", "text"],
    ["period", "text"],
    ["grade_codes", "text[]"],
  ],
  values: (f, resolve) => [
    resolve.school(f.schoolSourceId),
    resolve.academicSession(f.academicSessionSourceId),
    f.kind,
    f.name,
    f.nameOverride,
    f.subject,
    f.courseName,
    f.period,
    f.gradeCodes,
  ],
};

export const educatorSpec: EntitySpec<EducatorFields> = {
  entity: "educator",
  table: "educators",
  columns: [
    ["school_id", "uuid"],
    ["given_name", "text"],
    ["family_name", "text"],
    ["title", "text"],
    ["email", "text"],
    ["username", "text"],
    ["staff_number", "text"],
    ["state_id", "text"],
  ],
  values: (f, resolve) => [resolve.school(f.schoolSourceId), f.givenName, f.familyName, f.title, f.email, f.username, f.staffNumber, f.stateId],
};

export const learnerSpec: EntitySpec<LearnerFields> = {
  entity: "learner",
  table: "learners",
  columns: [
    ["school_id", "uuid"],
    ["given_name", "text"],
    ["family_name", "text"],
    ["middle_name", "text"],
    ["preferred_given_name", "text"],
    ["preferred_family_name", "text"],
    ["date_of_birth", "date"],
    ["gender", "text"],
    ["year_group_id", "uuid"],
    ["email", "text"],
    ["username", "text"],
    ["upn", "text"],
    ["former_upns", "text[]"],
    ["state_id", "text"],
    ["student_number", "text"],
    ["demographics", "jsonb"],
    ["enabled_in_source", "boolean"],
  ],
  values: (f, resolve) => [
    resolve.school(f.schoolSourceId),
    f.givenName,
    f.familyName,
    f.middleName,
    f.preferredGivenName,
    f.preferredFamilyName,
    f.dateOfBirth,
    f.gender,
    resolve.yearGroup(f.yearGroupCode, f.yearGroupLabel),
    f.email,
    f.username,
    f.upn,
    f.formerUpns,
    f.stateId,
    f.studentNumber,
    f.demographics,
    f.enabledInSource,
  ],
};
