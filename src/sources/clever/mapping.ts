/** Clever records to snapshot records (clever.md sections 3.3 to 3.6). */
import { cleanName, normaliseEmail, normaliseGrade, parseDate } from "../../roster/normalise/index.ts";
import type {
  Demographics,
  Gender,
  Problem,
  SnapshotAcademicSession,
  SnapshotClass,
  SnapshotEducator,
  SnapshotLearner,
  SnapshotSchool,
} from "../../roster/snapshot.ts";
import type { CleverSchool, CleverSection, CleverTerm, CleverUser } from "./types.ts";

const text = (value: string | null | undefined) => cleanName(value ?? undefined);
const yesNo = (value: string | null | undefined) => (value === "Y" ? true : value === "N" ? false : undefined);
const GENDERS: Record<string, Gender> = { M: "male", F: "female", X: "other" };

export function schoolOf(school: CleverSchool): SnapshotSchool {
  return {
    sourceId: school.id,
    name: text(school.name) ?? `School ${school.id}`,
    schoolNumber: text(school.school_number),
    stateId: text(school.state_id),
    lowGrade: normaliseGrade(school.low_grade),
    highGrade: normaliseGrade(school.high_grade),
  };
}

export function termOf(term: CleverTerm): SnapshotAcademicSession {
  const endDate = parseDate(term.end_date);
  return {
    sourceId: term.id,
    title: text(term.name) ?? "Term",
    type: "term",
    startDate: parseDate(term.start_date),
    endDate,
    // The school year is named by the year it ends in; a term ending in July or later belongs to the next one.
    schoolYear: endDate ? Number(endDate.slice(0, 4)) + (Number(endDate.slice(5, 7)) >= 8 ? 1 : 0) : undefined,
  };
}

export function classOf(section: CleverSection, courseNames: ReadonlyMap<string, string>): SnapshotClass {
  const grade = normaliseGrade(section.grade);
  return {
    sourceId: section.id,
    schoolSourceId: section.school,
    // Clever's normalised subject for a registration or form group.
    kind: section.subject === "homeroom/advisory" ? "registration_group" : "subject_class",
    name: text(section.name) ?? `Section ${section.id}`,
    subject: text(section.subject),
    courseName: section.course ? courseNames.get(section.course) : undefined,
    yearGroups: grade ? [grade] : [],
    academicSessionSourceIds: section.term_id ? [section.term_id] : [],
    period: text(section.period),
  };
}

function demographicsOf(student: NonNullable<NonNullable<CleverUser["roles"]>["student"]>): Demographics | undefined {
  const demographics: Demographics = {
    ethnicity: student.race ? [student.race] : undefined,
    hispanicOrLatino: yesNo(student.hispanic_ethnicity),
    englishLanguageLearner: yesNo(student.ell_status),
    specialEducation: yesNo(student.iep_status),
    freeSchoolMeals: student.frl_status === "Free" || student.frl_status === "Reduced" ? true : student.frl_status === "Paid" ? false : undefined,
    homeLanguage: text(student.home_language),
  };
  // Shared only where the district shares them: absent stays absent, never "N".
  const present = Object.entries(demographics).filter(([, value]) => value !== undefined);
  return present.length ? (Object.fromEntries(present) as Demographics) : undefined;
}

/** A student user, or null (with an error problem) when it lacks what a learner needs. */
export function learnerOf(user: CleverUser, problem: (problem: Problem) => void, file: string): SnapshotLearner | null {
  const student = user.roles?.student;
  if (!student) return null;
  const givenName = text(user.name?.first);
  const familyName = text(user.name?.last);
  if (!givenName || !familyName) {
    problem({
      severity: "error",
      file,
      entity: "learner",
      sourceId: user.id,
      field: "name",
      message: `Student ${user.id} has no ${givenName ? "last" : "first"} name, so they were skipped, and so were their class places.`,
    });
    return null;
  }
  const dateOfBirth = parseDate(student.dob);
  if (student.dob && !dateOfBirth) {
    problem({
      severity: "warning",
      file,
      entity: "learner",
      sourceId: user.id,
      field: "dob",
      message: `The date of birth "${student.dob}" is not a real date; the student was kept without one.`,
    });
  }
  const email = normaliseEmail(user.email);
  if (email.invalid)
    problem({
      severity: "warning",
      file,
      entity: "learner",
      sourceId: user.id,
      field: "email",
      message: `"${email.invalid}" is not an email address; the student was kept without one.`,
    });
  const schools = [student.school, ...(student.schools ?? [])].filter((id): id is string => Boolean(id));
  const preferredGivenName = text(student.preferred_name?.first);
  const preferredFamilyName = text(student.preferred_name?.last);
  return {
    sourceId: user.id,
    schoolSourceIds: [...new Set(schools)],
    givenName,
    familyName,
    middleName: text(user.name?.middle),
    preferredGivenName: preferredGivenName !== givenName ? preferredGivenName : undefined,
    preferredFamilyName: preferredFamilyName !== familyName ? preferredFamilyName : undefined,
    dateOfBirth,
    gender: student.gender ? (GENDERS[student.gender] ?? "unknown") : undefined,
    yearGroup: normaliseGrade(student.grade),
    email: email.email,
    username: text(student.credentials?.district_username),
    stateId: text(student.state_id),
    studentNumber: text(student.student_number) ?? text(student.sis_id),
    demographics: demographicsOf(student),
  };
}

export function educatorOf(user: CleverUser, problem: (problem: Problem) => void, file: string): SnapshotEducator | null {
  const teacher = user.roles?.teacher;
  if (!teacher) return null;
  const givenName = text(user.name?.first);
  const familyName = text(user.name?.last);
  if (!givenName || !familyName) {
    problem({
      severity: "error",
      file,
      entity: "educator",
      sourceId: user.id,
      field: "name",
      message: `Teacher ${user.id} has no name, so they were skipped.`,
    });
    return null;
  }
  const schools = [teacher.school, ...(teacher.schools ?? [])].filter((id): id is string => Boolean(id));
  return {
    sourceId: user.id,
    schoolSourceIds: [...new Set(schools)],
    givenName,
    familyName,
    title: text(teacher.title),
    email: normaliseEmail(user.email).email,
    username: text(teacher.credentials?.district_username),
    staffNumber: text(teacher.teacher_number),
    stateId: text(teacher.state_id),
  };
}
