/** From snapshot records to the columns a sync writes, and field-level differences. */
import type { SnapshotAcademicSession, SnapshotClass, SnapshotEducator, SnapshotLearner, SnapshotSchool } from "../../roster/snapshot.ts";
import type { AcademicSessionFields, ClassFields, EducatorFields, FieldChange, LearnerFields, SchoolFields } from "./types.ts";

const orNull = <T>(value: T | undefined): T | null => (value === undefined || value === "" ? null : value);

export function learnerFieldsOf(record: SnapshotLearner): LearnerFields {
  return {
    schoolSourceId: orNull(record.schoolSourceIds[0]),
    givenName: record.givenName,
    familyName: record.familyName,
    middleName: orNull(record.middleName),
    preferredGivenName: orNull(record.preferredGivenName),
    preferredFamilyName: orNull(record.preferredFamilyName),
    dateOfBirth: orNull(record.dateOfBirth),
    gender: orNull(record.gender),
    yearGroupCode: orNull(record.yearGroup?.code),
    yearGroupLabel: orNull(record.yearGroup?.label),
    email: orNull(record.email),
    username: orNull(record.username),
    upn: orNull(record.upn),
    formerUpns: record.formerUpns?.length ? record.formerUpns : null,
    stateId: orNull(record.stateId),
    studentNumber: orNull(record.studentNumber),
    demographics: record.demographics ? { ...record.demographics } : null,
    enabledInSource: record.enabled !== false,
  };
}

export function educatorFieldsOf(record: SnapshotEducator): EducatorFields {
  return {
    schoolSourceId: orNull(record.schoolSourceIds[0]),
    givenName: record.givenName,
    familyName: record.familyName,
    title: orNull(record.title),
    email: orNull(record.email),
    username: orNull(record.username),
    staffNumber: orNull(record.staffNumber),
    stateId: orNull(record.stateId),
  };
}

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
