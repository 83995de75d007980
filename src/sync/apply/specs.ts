/**
 * How each roster entity's fields become table columns. One spec per table drives the same
 * set-based writer (entities.ts), so learners, educators, classes, schools and sessions are
 * written by one piece of code.
 */
import type { LinkEntity } from "../../db/schema/roster.ts";
import {
  ACADEMIC_SESSION_FIELDS,
  CLASS_FIELDS,
  columnOf,
  EDUCATOR_FIELDS,
  type FieldSpec,
  LEARNER_FIELDS,
  SCHOOL_FIELDS,
  storedFields,
} from "../../roster/fields.ts";
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

/** The column, and its Postgres type, each stored field of a list is written to. */
const columnsOf = (fields: readonly FieldSpec[]): [string, string][] =>
  storedFields(fields).map((field) => {
    const column = columnOf(field)!;
    return [column.name, column.type];
  });

/** The values of the written fields, in the order of columnsOf. */
function valuesOf(fields: readonly FieldSpec[], written: object, resolve: Resolver): unknown[] {
  const field = written as Record<string, unknown>;
  return storedFields(fields).map(({ name, kind }) => {
    switch (kind) {
      case "schools":
      case "school":
        return resolve.school(field.schoolSourceId as string | null);
      case "sessions":
        return resolve.academicSession(field.academicSessionSourceId as string | null);
      case "yearGroup":
        return resolve.yearGroup(field.yearGroupCode as string | null, field.yearGroupLabel as string | null);
      case "yearGroups":
        return field.gradeCodes;
      case "enabled":
        return field.enabledInSource;
      default:
        return field[name];
    }
  });
}

/** The spec of a table whose columns are exactly its entity's stored fields. */
function specOf<Fields extends object>(entity: LinkEntity, table: string, fields: readonly FieldSpec[]): EntitySpec<Fields> {
  return { entity, table, columns: columnsOf(fields), values: (written, resolve) => valuesOf(fields, written, resolve) };
}

export const educatorSpec = specOf<EducatorFields>("educator", "educators", EDUCATOR_FIELDS);
export const learnerSpec = specOf<LearnerFields>("learner", "learners", LEARNER_FIELDS);
export const schoolSpec = specOf<SchoolFields>("school", "schools", SCHOOL_FIELDS);
export const academicSessionSpec = specOf<AcademicSessionFields>("academicSession", "academic_sessions", ACADEMIC_SESSION_FIELDS);

/** The admin's name for a class is written beside the roster's. */
export const classSpec: EntitySpec<ClassFields> = {
  entity: "class",
  table: "classes",
  columns: [...columnsOf(CLASS_FIELDS), ["name_override", "text"]],
  values: (fields, resolve) => [...valuesOf(CLASS_FIELDS, fields, resolve), fields.nameOverride],
};
