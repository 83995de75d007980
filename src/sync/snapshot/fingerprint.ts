/**
 * Fingerprints of normalised source records. A link keeps the fingerprint of the record it
 * last applied, so "Unchanged" is one comparison of two short strings, and a no-change sync of
 * a million learners never loads their rows. Fields are listed explicitly, in a fixed order,
 * so the fingerprint does not depend on how a connector built the object.
 */
import type { SnapshotAcademicSession, SnapshotClass, SnapshotEducator, SnapshotLearner, SnapshotSchool } from "../../roster/snapshot.ts";

function fingerprint(values: unknown[]): string {
  return Bun.hash(JSON.stringify(values)).toString(36);
}

export function learnerFingerprint(l: SnapshotLearner): string {
  return fingerprint([
    l.schoolSourceIds,
    l.givenName,
    l.familyName,
    l.middleName,
    l.preferredGivenName,
    l.preferredFamilyName,
    l.dateOfBirth,
    l.gender,
    l.yearGroup?.code,
    l.yearGroup?.label,
    l.email,
    l.username,
    l.upn,
    l.formerUpns,
    l.stateId,
    l.studentNumber,
    l.demographics ? Object.entries(l.demographics).sort(([a], [b]) => a.localeCompare(b)) : null,
    // Only a switched-off account adds a value, so enabled learners keep the fingerprints their links hold.
    ...(l.enabled === false ? [false] : []),
  ]);
}

export function educatorFingerprint(e: SnapshotEducator): string {
  return fingerprint([e.schoolSourceIds, e.givenName, e.familyName, e.title, e.email, e.username, e.staffNumber, e.stateId]);
}

/** Membership is not part of it: classes carry a separate digest of their members. */
export function classFingerprint(c: SnapshotClass): string {
  return fingerprint([
    c.schoolSourceId,
    c.kind,
    c.name,
    c.subject,
    c.courseName,
    c.yearGroups.map((group) => [group.code, group.label]),
    c.academicSessionSourceIds,
    c.period,
  ]);
}

export function schoolFingerprint(s: SnapshotSchool): string {
  return fingerprint([s.name, s.schoolNumber, s.stateId, s.lowGrade?.code, s.highGrade?.code]);
}

export function academicSessionFingerprint(s: SnapshotAcademicSession): string {
  return fingerprint([s.title, s.type, s.startDate, s.endDate, s.schoolYear, s.parentSourceId, s.schoolSourceId]);
}

/** Digest of a class's members: learner and educator source ids, sorted. */
export function membersDigest(learnerSourceIds: string[], educatorSourceIds: string[]): string {
  return fingerprint([[...learnerSourceIds].sort(), [...educatorSourceIds].sort()]);
}
