/** From snapshot records to the columns a sync writes, and field-level differences. */
import { EDUCATOR_FIELDS, type FieldSpec, LEARNER_FIELDS } from "../../roster/fields.ts";
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
        written.schoolSourceId = orNull((value as string[])[0]);
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

export function classFieldsOf(record: SnapshotClass, nameOverride: string | null): ClassFields {
  return {
    schoolSourceId: record.schoolSourceId,
    academicSessionSourceId: orNull(record.academicSessionSourceIds[0]),
    kind: record.kind,
    name: record.name,
    nameOverride,
    subject: orNull(record.subject),
    courseName: orNull(record.courseName),
    period: orNull(record.period),
    gradeCodes: [...new Set(record.yearGroups.map((group) => group.code))],
  };
}

export function schoolFieldsOf(record: SnapshotSchool): SchoolFields {
  return {
    name: record.name,
    schoolNumber: orNull(record.schoolNumber),
    stateId: orNull(record.stateId),
    lowGrade: orNull(record.lowGrade?.code),
    highGrade: orNull(record.highGrade?.code),
  };
}

export function academicSessionFieldsOf(record: SnapshotAcademicSession): AcademicSessionFields {
  return {
    title: record.title,
    type: record.type,
    startDate: orNull(record.startDate),
    endDate: orNull(record.endDate),
    schoolYear: orNull(record.schoolYear),
    schoolSourceId: orNull(record.schoolSourceId),
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  return JSON.stringify(a) === JSON.stringify(b);
}

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
