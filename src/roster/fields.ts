/**
 * A learner's and an educator's fields, each listed once (ARCHITECTURE.md, "Adding a learner
 * field"). The snapshot record's text fields, its packing in memory, its fingerprint, the
 * columns a sync writes, the rows loaded for a run and the matcher's record all come from
 * these lists.
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

type TextFieldOf<Fields extends readonly FieldSpec[]> = Extract<Fields[number], { kind: "text" }>["name"];

/** The plain optional text fields, from which the snapshot and the written fields get their types. */
export type LearnerTextField = TextFieldOf<typeof LEARNER_FIELDS>;
export type EducatorTextField = TextFieldOf<typeof EDUCATOR_FIELDS>;

/** The learners' or educators' column a field is written to. */
export function columnOf({ name, kind }: FieldSpec): string {
  if (kind === "schools") return "school_id";
  if (kind === "yearGroup") return "year_group_id";
  if (kind === "enabled") return "enabled_in_source";
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
