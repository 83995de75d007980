/** From snapshot records to the columns a sync writes, and field-level differences. */
import { ACADEMIC_SESSION_FIELDS, CLASS_FIELDS, EDUCATOR_FIELDS, type FieldSpec, LEARNER_FIELDS, SCHOOL_FIELDS } from "../../roster/fields.ts";
import type { SnapshotAcademicSession, SnapshotClass, SnapshotEducator, SnapshotLearner, SnapshotSchool, YearGroup } from "../../roster/snapshot.ts";
import type { AcademicSessionFields, ClassFields, EducatorFields, FieldChange, LearnerFields, SchoolFields } from "./types.ts";

const orNull = <T>(value: T | undefined): T | null => (value === undefined || value === "" ? null : value);

/** The written fields one snapshot field becomes, in list order (ARCHITECTURE.md, "Adding a learner field"). */
function writtenFieldsOf(fields: readonly FieldSpec[], record: object): Record<string, unknown> {
  const written: Record<string, unknown> = {};
  for (const { name, kind } of fields) {
    const value = (record as Record<string, unknown>)[name];
    switch (kind) {
      case "schools":
      case "sessions":
        written[kind === "schools" ? "schoolSourceId" : "academicSessionSourceId"] = orNull((value as string[])[0]);
        break;
      case "school":
        written.schoolSourceId = orNull(value);
        break;
      case "grade":
        written[name] = orNull((value as YearGroup | undefined)?.code);
        break;
      case "yearGroups":
        written.gradeCodes = [...new Set((value as YearGroup[]).map((group) => group.code))];
        break;
      case "reference":
        break;
      case "yearGroup":
        written.yearGroupCode = orNull((value as YearGroup | undefined)?.code);
        written.yearGroupLabel = orNull((value as YearGroup | undefined)?.label);
        break;
      case "enabled":
        written.enabledInSource = value !== false;
        break;
      case "required":
        written[name] = value;
        break;
      case "list":
        written[name] = (value as string[] | undefined)?.length ? value : null;
        break;
      case "demographics":
        written[name] = value ? { ...value } : null;
        break;
      default:
        written[name] = orNull(value);
    }
  }
  return written;
}

export const learnerFieldsOf = (record: SnapshotLearner) => writtenFieldsOf(LEARNER_FIELDS, record) as unknown as LearnerFields;

export const educatorFieldsOf = (record: SnapshotEducator) => writtenFieldsOf(EDUCATOR_FIELDS, record) as unknown as EducatorFields;

/** A class's fields, and the name an admin gave it where the settings keep that name. */
export const classFieldsOf = (record: SnapshotClass, nameOverride: string | null) =>
  ({ ...writtenFieldsOf(CLASS_FIELDS, record), nameOverride }) as unknown as ClassFields;

export const schoolFieldsOf = (record: SnapshotSchool) => writtenFieldsOf(SCHOOL_FIELDS, record) as unknown as SchoolFields;

export const academicSessionFieldsOf = (record: SnapshotAcademicSession) =>
  writtenFieldsOf(ACADEMIC_SESSION_FIELDS, record) as unknown as AcademicSessionFields;

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  return canonical(a) === canonical(b);
}

/** JSON with every object's keys in order: a stored jsonb value (demographics) comes back with its keys reordered. */
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : 1))) : inner,
  );

/** The fields of `after` that differ from `before`. */
export function diffFields<Fields extends object>(before: Fields, after: Fields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(after) as (keyof Fields & string)[]) {
    if (!sameValue(before[field], after[field])) changes.push({ field, before: before[field] ?? null, after: after[field] ?? null });
  }
  return changes;
}

/** Only the columns named in Fields, so a loaded row with extra columns compares cleanly. */
export function pick<Fields extends object>(row: Fields, template: Fields): Fields {
  return Object.fromEntries(Object.keys(template).map((key) => [key, (row as Record<string, unknown>)[key] ?? null])) as Fields;
}

export function displayName(fields: { givenName: string; familyName: string; preferredGivenName?: string | null }): string {
  return `${fields.preferredGivenName || fields.givenName} ${fields.familyName}`.trim();
}
