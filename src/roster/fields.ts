/**
 * Each roster entity's fields, listed once (ARCHITECTURE.md, "Adding a learner field"). The
 * snapshot record's text fields, its fingerprint, the fields reconcile compares, the columns a
 * sync writes and the rows loaded for a run come from these lists; for learners also the packing
 * in memory and the matcher's record.
 *
 * The order is the fingerprint's. Links hold fingerprints, so a new field goes at the end:
 * fields after the list's last original field add to a fingerprint only when they hold a value,
 * and every stored link still agrees with the records it applied.
 */

/** How a field is read, written and fingerprinted. */
export type FieldKind =
  /** An optional string, in a text column named like the field (middleName -> middle_name). */
  | "text"
  /** A string every record has. */
  | "required"
  /** An ISO date, YYYY-MM-DD, in a date column. */
  | "date"
  /** One of the snapshot's genders, in a text column. */
  | "gender"
  /** A list of strings, in a text[] column; an empty list is stored as none. */
  | "list"
  /** The source's school ids, first the primary one: only that one is stored, as school_id. */
  | "schools"
  /** One school's source id, stored as school_id. */
  | "school"
  /** Academic session ids: the first is stored, as academic_session_id. */
  | "sessions"
  /** A source id that is fingerprinted but not stored (a session's parent). */
  | "reference"
  /** A whole number, in an integer column. */
  | "number"
  /** A grade (its code is stored, in a text column). */
  | "grade"
  /** The grades a class is for: their codes are stored once each, as grade_codes. */
  | "yearGroups"
  /** A grade code and the source's label for it, stored as a row of year_groups. */
  | "yearGroup"
  /** Shared demographics, in a jsonb column; fingerprinted in key order. */
  | "demographics"
  /** Whether the source has the account switched on, stored as enabled_in_source. */
  | "enabled";

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  /** The matcher reads it (src/sync/match/types.ts, MatchRecord). */
  matched?: boolean;
}

export const LEARNER_FIELDS = [
  { name: "schoolSourceIds", kind: "schools" },
  /** Legal names. */
  { name: "givenName", kind: "required", matched: true },
  { name: "familyName", kind: "required", matched: true },
  { name: "middleName", kind: "text", matched: true },
  /** Preferred names, when the source shares them and they differ from the legal ones. */
  { name: "preferredGivenName", kind: "text", matched: true },
  { name: "preferredFamilyName", kind: "text", matched: true },
  { name: "dateOfBirth", kind: "date", matched: true },
  { name: "gender", kind: "gender", matched: true },
  { name: "yearGroup", kind: "yearGroup" },
  /** Lower-cased and validated by the reader; an invalid one is left out with a problem. */
  { name: "email", kind: "text", matched: true },
  { name: "username", kind: "text" },
  /** UK unique pupil number, upper-cased and check-letter validated. */
  { name: "upn", kind: "text", matched: true },
  { name: "formerUpns", kind: "list", matched: true },
  { name: "stateId", kind: "text", matched: true },
  /** The school's own number for the pupil (Clever sis_id, OneRoster identifier, Wonde mis_id / admission number). */
  { name: "studentNumber", kind: "text", matched: true },
  { name: "demographics", kind: "demographics" },
  /** False when the source has switched the account off (OneRoster enabledUser=false): kept and synced, but given no access. */
  { name: "enabled", kind: "enabled" },
] as const satisfies readonly FieldSpec[];

/** The last learner field whose value is always fingerprinted; see the header. */
export const LEARNER_FINGERPRINT_BASE = "enabled";

export const EDUCATOR_FIELDS = [
  { name: "schoolSourceIds", kind: "schools" },
  { name: "givenName", kind: "required" },
  { name: "familyName", kind: "required" },
  { name: "title", kind: "text" },
  { name: "email", kind: "text" },
  { name: "username", kind: "text" },
  { name: "staffNumber", kind: "text" },
  { name: "stateId", kind: "text" },
] as const satisfies readonly FieldSpec[];

export const EDUCATOR_FINGERPRINT_BASE = "stateId";

export const CLASS_FIELDS = [
  { name: "schoolSourceId", kind: "school" },
  { name: "kind", kind: "required" },
  { name: "name", kind: "required" },
  { name: "subject", kind: "text" },
  { name: "courseName", kind: "text" },
  /** Clever's section.grade, OneRoster's classes.grades. */
  { name: "yearGroups", kind: "yearGroups" },
  { name: "academicSessionSourceIds", kind: "sessions" },
  { name: "period", kind: "text" },
] as const satisfies readonly FieldSpec[];

export const CLASS_FINGERPRINT_BASE = "period";

export const SCHOOL_FIELDS = [
  { name: "name", kind: "required" },
  /** School number / LEA code / URN / NCES id, whatever the source calls its number. */
  { name: "schoolNumber", kind: "text" },
  { name: "stateId", kind: "text" },
  { name: "lowGrade", kind: "grade" },
  { name: "highGrade", kind: "grade" },
] as const satisfies readonly FieldSpec[];

export const SCHOOL_FINGERPRINT_BASE = "highGrade";

export const ACADEMIC_SESSION_FIELDS = [
  { name: "title", kind: "required" },
  { name: "type", kind: "required" },
  { name: "startDate", kind: "date" },
  { name: "endDate", kind: "date" },
  /** The year the school year ends in (OneRoster's schoolYear), e.g. 2026 for 2025/26. */
  { name: "schoolYear", kind: "number" },
  { name: "parentSourceId", kind: "reference" },
  { name: "schoolSourceId", kind: "school" },
] as const satisfies readonly FieldSpec[];

export const ACADEMIC_SESSION_FINGERPRINT_BASE = "schoolSourceId";

type TextFieldOf<Fields extends readonly FieldSpec[]> = Extract<Fields[number], { kind: "text" }>["name"];

/** The plain optional text fields, from which the snapshot and the written fields get their types. */
export type LearnerTextField = TextFieldOf<typeof LEARNER_FIELDS>;
export type EducatorTextField = TextFieldOf<typeof EDUCATOR_FIELDS>;
export type ClassTextField = TextFieldOf<typeof CLASS_FIELDS>;
export type SchoolTextField = TextFieldOf<typeof SCHOOL_FIELDS>;

export interface Column {
  name: string;
  /** Its Postgres type, for the staging tables apply writes through. */
  type: string;
}

/**
 * Each field's column, worked out once: apply and the run's state loading ask for every field
 * of every row (a million learners, twenty fields each).
 */
const columns = new WeakMap<FieldSpec, Column | null>();

/** The column a field is written to; none for a reference, which is only fingerprinted. */
export function columnOf(field: FieldSpec): Column | null {
  let column = columns.get(field);
  if (column === undefined) {
    column = columnFor(field);
    columns.set(field, column);
  }
  return column;
}

function columnFor({ name, kind }: FieldSpec): Column | null {
  const named = name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  switch (kind) {
    case "schools":
    case "school":
      return { name: "school_id", type: "uuid" };
    case "sessions":
      return { name: "academic_session_id", type: "uuid" };
    case "yearGroup":
      return { name: "year_group_id", type: "uuid" };
    case "yearGroups":
      return { name: "grade_codes", type: "text[]" };
    case "enabled":
      return { name: "enabled_in_source", type: "boolean" };
    case "reference":
      return null;
    case "date":
      return { name: named, type: "date" };
    case "number":
      return { name: named, type: "integer" };
    case "list":
      return { name: named, type: "text[]" };
    case "demographics":
      return { name: named, type: "jsonb" };
    case "text":
    case "required":
    case "gender":
    case "grade":
      return { name: named, type: "text" };
  }
}

const stored = new WeakMap<readonly FieldSpec[], readonly FieldSpec[]>();

/** The fields a table has a column for (worked out once per field list). */
export function storedFields(fields: readonly FieldSpec[]): readonly FieldSpec[] {
  let list = stored.get(fields);
  if (!list) {
    list = fields.filter((field) => columnOf(field) !== null);
    stored.set(fields, list);
  }
  return list;
}
