/**
 * Fingerprints of normalised source records. A link keeps the fingerprint of the record it
 * last applied, so "Unchanged" is one comparison of two short strings, and a no-change sync of
 * a million learners never loads their rows. Fields are listed explicitly, in a fixed order,
 * so the fingerprint does not depend on how a connector built the object.
 */
import {
  ACADEMIC_SESSION_FIELDS,
  ACADEMIC_SESSION_FINGERPRINT_BASE,
  CLASS_FIELDS,
  CLASS_FINGERPRINT_BASE,
  EDUCATOR_FIELDS,
  EDUCATOR_FINGERPRINT_BASE,
  type FieldKind,
  type FieldSpec,
  LEARNER_FIELDS,
  LEARNER_FINGERPRINT_BASE,
  SCHOOL_FIELDS,
  SCHOOL_FINGERPRINT_BASE,
} from "../../roster/fields.ts";
import type { SnapshotAcademicSession, SnapshotClass, SnapshotEducator, SnapshotLearner, SnapshotSchool, YearGroup } from "../../roster/snapshot.ts";

function fingerprint(values: unknown[]): string {
  return Bun.hash(JSON.stringify(values)).toString(36);
}

/** What one field adds to a fingerprint; an absent value is fingerprinted as null. */
function fingerprintParts(kind: FieldKind, value: unknown): unknown[] {
  switch (kind) {
    case "yearGroup":
      return [(value as YearGroup | undefined)?.code, (value as YearGroup | undefined)?.label];
    case "grade":
      return [(value as YearGroup | undefined)?.code];
    case "yearGroups":
      return [(value as YearGroup[]).map((group) => [group.code, group.label])];
    case "demographics":
      return [value ? Object.entries(value).sort(([a], [b]) => a.localeCompare(b)) : null];
    case "enabled":
      // Only a switched-off account adds a value, so enabled learners keep the fingerprints their links hold.
      return value === false ? [false] : [];
    default:
      return [value];
  }
}

/** The fields in list order; a field added after `base` counts, with its name, only when it holds a value. */
export function fieldsFingerprint(fields: readonly FieldSpec[], base: string, record: object): string {
  const values: unknown[] = [];
  let pastBase = false;
  for (const field of fields) {
    const value = (record as Record<string, unknown>)[field.name];
    if (!pastBase) values.push(...fingerprintParts(field.kind, value));
    else if (value !== undefined && value !== null) values.push([field.name, ...fingerprintParts(field.kind, value)]);
    if (field.name === base) pastBase = true;
  }
  return fingerprint(values);
}

export const learnerFingerprint = (record: SnapshotLearner): string => fieldsFingerprint(LEARNER_FIELDS, LEARNER_FINGERPRINT_BASE, record);

export const educatorFingerprint = (record: SnapshotEducator): string => fieldsFingerprint(EDUCATOR_FIELDS, EDUCATOR_FINGERPRINT_BASE, record);

/** Membership is not part of it: classes carry a separate digest of their members. */
export const classFingerprint = (record: SnapshotClass): string => fieldsFingerprint(CLASS_FIELDS, CLASS_FINGERPRINT_BASE, record);

export const schoolFingerprint = (record: SnapshotSchool): string => fieldsFingerprint(SCHOOL_FIELDS, SCHOOL_FINGERPRINT_BASE, record);

export const academicSessionFingerprint = (record: SnapshotAcademicSession): string =>
  fieldsFingerprint(ACADEMIC_SESSION_FIELDS, ACADEMIC_SESSION_FINGERPRINT_BASE, record);

/** Digest of a class's members: learner and educator source ids, sorted. */
export function membersDigest(learnerSourceIds: string[], educatorSourceIds: string[]): string {
  return fingerprint([[...learnerSourceIds].sort(), [...educatorSourceIds].sort()]);
}
