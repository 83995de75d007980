/**
 * How each roster entity's fields become table columns. One spec per table drives the same
 * set-based writer (entities.ts), so learners, educators, classes, schools and sessions are
 * written by one piece of code.
 */
import type { LinkEntity } from "../../db/schema/roster.ts";
import { columnOf, EDUCATOR_FIELDS, type FieldKind, type FieldSpec, LEARNER_FIELDS } from "../../roster/fields.ts";
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

/** The column, and its Postgres type, each field of a list is written to. */
function columnsOf(fields: readonly FieldSpec[]): [string, string][] {
  return fields.map((field) => [columnOf(field), COLUMN_TYPES[field.kind]]);
}

const COLUMN_TYPES: Record<FieldKind, string> = {
  text: "text",
  required: "text",
  gender: "text",
  date: "date",
  list: "text[]",
  demographics: "jsonb",
  schools: "uuid",
  yearGroup: "uuid",
  enabled: "boolean",
};

/** The values of the written fields, in the order of columnsOf. */
function valuesOf(fields: readonly FieldSpec[], written: object, resolve: Resolver): unknown[] {
  const field = written as Record<string, unknown>;
  return fields.map(({ name, kind }) => {
    switch (kind) {
      case "schools":
        return resolve.school(field.schoolSourceId as string | null);
      case "yearGroup":
        return resolve.yearGroup(field.yearGroupCode as string | null, field.yearGroupLabel as string | null);
      case "enabled":
        return field.enabledInSource;
      default:
        return field[name];
    }
  });
}

export const educatorSpec: EntitySpec<EducatorFields> = {
  entity: "educator",
  table: "educators",
  columns: columnsOf(EDUCATOR_FIELDS),
  values: (fields, resolve) => valuesOf(EDUCATOR_FIELDS, fields, resolve),
};

export const learnerSpec: EntitySpec<LearnerFields> = {
  entity: "learner",
  table: "learners",
  columns: columnsOf(LEARNER_FIELDS),
  values: (fields, resolve) => valuesOf(LEARNER_FIELDS, fields, resolve),
};
