/** Wonde records to snapshot records (uk-mis.md 1.3). Pure: no I/O. */
import { checkUpn, cleanName, normaliseEmail, normaliseGrade, parseDate } from "../../roster/normalise/index.ts";
import type { Gender, Problem, SnapshotClass, SnapshotEducator, SnapshotLearner, YearGroup } from "../../roster/snapshot.ts";
import type { WondeClass, WondeEmployee, WondeGroup, WondeStudent } from "./types.ts";

const text = (value: string | null | undefined) => value?.trim() || undefined;

function genderOf(raw: string | null | undefined): Gender | undefined {
  const value = raw?.trim().toUpperCase();
  if (!value) return undefined;
  if (value === "F" || value === "FEMALE") return "female";
  if (value === "M" || value === "MALE") return "male";
  return value === "U" || value === "UNKNOWN" ? "unknown" : "other";
}

/** The year group: the code where it is a known label, else the name ("Girls Reception"). */
export function yearGroupOf(year: { code?: string | null; name?: string | null } | null | undefined): YearGroup | undefined {
  return normaliseGrade(year?.code ?? undefined) ?? normaliseGrade(year?.name ?? undefined);
}

export function learnerOf(student: WondeStudent, schoolId: string, problem: (problem: Problem) => void, file: string): SnapshotLearner | null {
  // Wonde's forename/surname are the names in use; legal_* are the legal ones when shared.
  const givenName = cleanName(student.legal_forename) ?? cleanName(student.forename);
  const familyName = cleanName(student.legal_surname) ?? cleanName(student.surname);
  if (!givenName || !familyName) {
    problem({
      severity: "error",
      file,
      field: givenName ? "surname" : "forename",
      entity: "learner",
      sourceId: student.id,
      message: "is empty (the school may not share names with this app); the pupil was dropped",
    });
    return null;
  }
  const details = student.education_details?.data ?? undefined;
  const upn = checkUpn(details?.upn);
  if (upn.problem)
    problem({ severity: "warning", file, field: "upn", entity: "learner", sourceId: student.id, message: `${upn.problem} The pupil was kept without it.` });
  const formerUpn = checkUpn(details?.former_upn);
  const year = student.year?.data ?? undefined;
  const yearGroup = yearGroupOf(year) ?? normaliseGrade(details?.current_nc_year ?? undefined);
  if (year && !yearGroup)
    problem({
      severity: "warning",
      file,
      field: "year",
      entity: "learner",
      sourceId: student.id,
      message: `"${year.code ?? year.name}" is not a year group we know; the pupil was kept without one`,
    });
  const email = normaliseEmail(student.contact_details?.data?.emails?.email ?? student.contact_details?.data?.emails?.primary);
  const preferredGiven = cleanName(student.forename);
  const preferredFamily = cleanName(student.surname);
  return {
    sourceId: student.id,
    schoolSourceIds: [schoolId],
    givenName,
    familyName,
    middleName: cleanName(student.middle_names),
    preferredGivenName: preferredGiven && preferredGiven !== givenName ? preferredGiven : undefined,
    preferredFamilyName: preferredFamily && preferredFamily !== familyName ? preferredFamily : undefined,
    dateOfBirth: parseDate(student.date_of_birth ?? undefined),
    gender: genderOf(student.gender),
    yearGroup,
    email: email.email,
    upn: upn.upn,
    formerUpns: formerUpn.upn ? [formerUpn.upn] : undefined,
    studentNumber: text(details?.admission_number) ?? text(student.mis_id),
  };
}

export function educatorOf(employee: WondeEmployee, schoolId: string, problem: (problem: Problem) => void, file: string): SnapshotEducator | null {
  const givenName = cleanName(employee.forename) ?? cleanName(employee.legal_forename);
  const familyName = cleanName(employee.surname) ?? cleanName(employee.legal_surname);
  if (!givenName || !familyName) {
    problem({
      severity: "error",
      file,
      field: givenName ? "surname" : "forename",
      entity: "educator",
      sourceId: employee.id,
      message: "is empty; the member of staff was dropped",
    });
    return null;
  }
  const contact = employee.contact_details?.data?.emails;
  return {
    sourceId: employee.id,
    schoolSourceIds: [schoolId],
    givenName,
    familyName,
    title: text(employee.title),
    email: normaliseEmail(contact?.work ?? contact?.email).email,
    staffNumber: text(employee.mis_id),
  };
}

export function subjectClassOf(klass: WondeClass, schoolId: string, yearGroups: YearGroup[]): SnapshotClass {
  return {
    sourceId: klass.id,
    schoolSourceId: schoolId,
    kind: "subject_class",
    name: text(klass.name) ?? text(klass.description) ?? klass.id,
    subject: text(klass.subject),
    yearGroups,
    academicSessionSourceIds: [],
  };
}

export function registrationGroupOf(group: WondeGroup, schoolId: string, yearGroups: YearGroup[]): SnapshotClass {
  return {
    sourceId: group.id,
    schoolSourceId: schoolId,
    kind: "registration_group",
    name: text(group.name) ?? text(group.code) ?? group.id,
    yearGroups,
    academicSessionSourceIds: [],
  };
}
