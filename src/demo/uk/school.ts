/**
 * The demo UK school: an 11-18 secondary, Oakfield Academy, over two academic years, the
 * one before promotion (2025/26) and the one after (2026/27), with what a September sync
 * meets (uk-mis.md 3): Year 11 and Year 13 leavers, a new Year 7 and sixth-form joiners,
 * everyone else a year up in new registration groups and classes whose ids change with the
 * year, a pupil who moved away over the summer and one who arrived, a pupil whose temporary
 * UPN became permanent under a new MIS record, twins, a parent's address in a pupil's record
 * and personal addresses. Every record is a pure function of its pupil number; `truth` says
 * what the new year's sync should find.
 */
import { chance } from "../district.ts";
import { FAMILY_NAMES, GIVEN_NAMES } from "../names.ts";

export const UK_DEMO_SCHOOL = { id: "A1000000001", name: "Oakfield Academy", urn: 140001, laCode: "330", establishment: "4321" } as const;
export const SCHOOL_EMAIL_DOMAIN = "oakfield.sch.uk";
/** The academic years served, by the calendar year each ends in. */
export const UK_DEMO_YEARS = [2026, 2027] as const;
export type UkDemoYear = (typeof UK_DEMO_YEARS)[number];

const SEED = 44;
const FORMS_PER_YEAR: Record<number, number> = { 7: 5, 8: 5, 9: 5, 10: 5, 11: 5, 12: 3, 13: 3 };
const PUPILS_PER_FORM = 30;
const FORM_LETTERS = "ABCDE";
/** Of each Year 11, the pupils who stay on into the sixth form; the rest leave. */
const STAYING_INTO_SIXTH_FORM = 60;
const SIXTH_FORM_JOINERS = 30;
const MAIN_SUBJECTS = ["Ma", "En", "Sc"];
const SIXTH_FORM_SUBJECTS = ["Ma", "Bi", "Ch", "Ph", "Hi", "En", "Ps"];
const SUBJECT_NAMES: Record<string, string> = {
  Ma: "Mathematics",
  En: "English",
  Sc: "Science",
  Bi: "Biology",
  Ch: "Chemistry",
  Ph: "Physics",
  Hi: "History",
  Ps: "Psychology",
};
const STAFF = 80;

export interface UkPupil {
  /** Wonde's id for the MIS record. */
  id: string;
  admissionNumber: string;
  upn: string;
  formerUpn?: string | undefined;
  forename: string;
  surname: string;
  dateOfBirth: string;
  gender: "M" | "F";
  /** National curriculum year, 7 to 13. */
  year: number;
  registrationGroup: RegistrationGroup;
  classes: SubjectClass[];
  email?: string | undefined;
  /** The parent's address, as the contact record holds it. */
  contactEmail?: string | undefined;
}

export interface RegistrationGroup {
  id: string;
  name: string;
  year: number;
  tutorId: string;
}

export interface SubjectClass {
  id: string;
  name: string;
  subject: string;
  year: number;
  teacherId: string;
}

export interface UkStaff {
  id: string;
  title: string;
  forename: string;
  surname: string;
  email: string;
}

export interface UkSchoolYear {
  year: UkDemoYear;
  pupils: UkPupil[];
  staff: UkStaff[];
  registrationGroups: RegistrationGroup[];
  classes: SubjectClass[];
}

/** What a sync of the new year over last year's should find, by admission number. */
export interface UkDemoTruth {
  leavers: string[];
  joiners: string[];
  promoted: string[];
  /** Re-linked by UPN: the MIS record (and its Wonde id) is new, the temporary UPN is now the former one. */
  newRecordSameChild: string;
  movedAway: string;
  arrived: string;
  twins: [string, string];
  parentsAddress: string;
  personalAddresses: string[];
}

const LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

/** A UPN with its check letter (uk-mis.md 2.4): LA code, establishment, the year it was issued, a serial. */
export function upnOf(serial: number, issued: number, temporary = false): string {
  const body = `${UK_DEMO_SCHOOL.laCode}${UK_DEMO_SCHOOL.establishment}${String(issued % 100).padStart(2, "0")}${String(serial % 1000).padStart(3, "0")}`;
  const tail = temporary ? `${body.slice(0, 11)}${LETTERS[serial % 23]}` : body.slice(0, 12);
  let sum = 0;
  for (let index = 0; index < 12; index++) {
    const char = tail[index]!;
    sum += (index + 2) * (/\d/.test(char) ? Number(char) : LETTERS.indexOf(char));
  }
  return `${LETTERS[sum % 23]}${tail}`;
}

/**
 * A pupil by admission number, the same child in every year: `entry` is the calendar year
 * they joined Year 7 (or the sixth form), so their year group in an academic year follows.
 */
interface Child {
  admission: number;
  entryYear: number;
  entryGroup: number;
  forename: string;
  surname: string;
  dateOfBirth: string;
  gender: "M" | "F";
}

const pick = <T>(list: readonly T[], ...keys: (number | string)[]) => list[Math.floor(chance(SEED, ...keys) * list.length)]!;

function childOf(admission: number, entryYear: number, entryGroup: number): Child {
  // Born in the school year that ends in the summer they are 11: September of (entry - 12) to August of (entry - 11).
  const month = 1 + Math.floor(chance(SEED, admission, "month") * 12);
  const day = 1 + Math.floor(chance(SEED, admission, "day") * 28);
  const bornIn = entryYear - (month >= 9 ? 12 : 11) - (entryGroup - 7);
  return {
    admission,
    entryYear,
    entryGroup,
    forename: pick(GIVEN_NAMES, admission, "given"),
    surname: pick(FAMILY_NAMES, admission, "family"),
    dateOfBirth: `${bornIn}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    gender: chance(SEED, admission, "gender") < 0.5 ? "F" : "M",
  };
}

/** Every child who is on roll in either year. */
function children(): { child: Child; leaves?: number }[] {
  const all: { child: Child; leaves?: number }[] = [];
  let admission = 1000;
  // Cohorts that joined Year 7 in September 2019 (Year 13 in 2025/26) to September 2026 (the new Year 7).
  for (let entry = 2019; entry <= 2026; entry++) {
    const count = FORMS_PER_YEAR[7]! * PUPILS_PER_FORM;
    for (let index = 0; index < count; index++) {
      const child = childOf(++admission, entry, 7);
      // Year 11 ends in the summer of entry + 5; most leave then, and all leave after Year 13.
      const leaves = index >= STAYING_INTO_SIXTH_FORM ? entry + 5 : entry + 7;
      all.push({ child, leaves });
    }
  }
  // External sixth-form joiners: 30 a year into Year 12.
  for (const entry of [2024, 2025, 2026])
    for (let index = 0; index < SIXTH_FORM_JOINERS; index++) all.push({ child: childOf(++admission, entry, 12), leaves: entry + 2 });
  return all;
}

const yearGroupIn = (child: Child, academicYear: UkDemoYear) => child.entryGroup + (academicYear - 1 - child.entryYear);

function staffList(): UkStaff[] {
  return Array.from({ length: STAFF }, (_, index) => {
    const forename = pick(GIVEN_NAMES, "staff", index, "given");
    const surname = pick(FAMILY_NAMES, "staff", index, "family");
    return {
      id: `E${String(2000 + index).padStart(9, "0")}`,
      title: pick(["Mr", "Mrs", "Ms", "Miss", "Dr"], "staff", index, "title"),
      forename,
      surname,
      email: `${forename[0]!.toLowerCase()}.${surname.toLowerCase().replace(/[^a-z]/g, "")}${index}@${SCHOOL_EMAIL_DOMAIN}`,
    };
  });
}

/** The year's registration groups and classes: their ids carry the academic year, as a new year's MIS timetable does. */
function groupsOf(academicYear: UkDemoYear, staff: UkStaff[]): { registrationGroups: RegistrationGroup[]; classes: SubjectClass[] } {
  const registrationGroups: RegistrationGroup[] = [];
  const classes: SubjectClass[] = [];
  // Tutors and subject teachers are dealt separately, so every member of staff teaches a class.
  let tutor = 0;
  let teacher = 0;
  const nextTutor = () => staff[tutor++ % staff.length]!.id;
  const nextTeacher = () => staff[teacher++ % staff.length]!.id;
  for (let year = 7; year <= 13; year++) {
    const forms = FORMS_PER_YEAR[year]!;
    for (let form = 0; form < forms; form++)
      registrationGroups.push({ id: `G${academicYear}${year}${FORM_LETTERS[form]}`, name: `${year}${FORM_LETTERS[form]}`, year, tutorId: nextTutor() });
    const subjects = year >= 12 ? SIXTH_FORM_SUBJECTS : MAIN_SUBJECTS;
    for (const subject of subjects) {
      const sets = year >= 12 ? 1 : forms;
      for (let set = 1; set <= sets; set++)
        classes.push({
          id: `C${academicYear}${year}${subject}${set}`,
          name: `${year}x/${subject}${set}`,
          subject: SUBJECT_NAMES[subject]!,
          year,
          teacherId: nextTeacher(),
        });
    }
  }
  return { registrationGroups, classes };
}

/** The special pupils, by admission number (each is an ordinary child of the right cohort, changed). */
const SPECIAL = {
  // A Year 9 (2025/26) pupil who moved away over the summer.
  movedAway: 1000 + 150 * 4 + 17,
  // A Year 8 (2025/26) pupil with a temporary UPN, re-registered under a new MIS record with a permanent one.
  newRecordSameChild: 1000 + 150 * 5 + 41,
  // Twins in Year 7 (2025/26): the next pupil is made the first one's twin.
  twin: 1000 + 150 * 6 + 8,
  parentsAddress: 1000 + 150 * 5 + 77,
  personal: [1000 + 150 * 3 + 5, 1000 + 150 * 6 + 120],
} as const;
const ARRIVED = 9001;

function pupilOf(child: Child, academicYear: UkDemoYear, groups: { registrationGroups: RegistrationGroup[]; classes: SubjectClass[] }): UkPupil {
  const year = yearGroupIn(child, academicYear);
  const forms = groups.registrationGroups.filter((group) => group.year === year);
  // A pupil keeps the same form letter as they move up; sixth-formers are spread over three groups.
  const registrationGroup = forms[child.admission % forms.length]!;
  const setIndex = Math.floor(chance(SEED, child.admission, "set") * forms.length);
  const sets = groups.classes.filter((klass) => klass.year === year);
  const classes = year >= 12 ? sets.filter((_, index) => (child.admission + index) % 7 < 3) : sets.filter((klass) => klass.name.endsWith(String(setIndex + 1)));
  const renewed = child.admission === SPECIAL.newRecordSameChild && academicYear === 2027;
  const temporary = child.admission === SPECIAL.newRecordSameChild && academicYear === 2026;
  const pupil: UkPupil = {
    id: `A${String(renewed ? 50_000 + child.admission : child.admission).padStart(9, "0")}`,
    admissionNumber: String(child.admission).padStart(6, "0"),
    upn: upnOf(child.admission, child.entryYear, temporary),
    formerUpn: renewed ? upnOf(child.admission, child.entryYear, true) : undefined,
    forename: child.forename,
    surname: child.surname,
    dateOfBirth: child.dateOfBirth,
    gender: child.gender,
    year,
    registrationGroup,
    classes,
    email: `${child.entryYear % 100}${child.forename[0]!.toLowerCase()}${child.surname.toLowerCase().replace(/[^a-z]/g, "")}${child.admission}@${SCHOOL_EMAIL_DOMAIN}`,
  };
  if (child.admission === SPECIAL.parentsAddress) {
    pupil.contactEmail = `${child.surname.toLowerCase()}.family@gmail.com`;
    pupil.email = pupil.contactEmail;
  }
  if ((SPECIAL.personal as readonly number[]).includes(child.admission)) pupil.email = `${child.forename.toLowerCase()}${child.admission % 100}@hotmail.co.uk`;
  return pupil;
}

function onRoll(entry: { child: Child; leaves?: number }, academicYear: UkDemoYear): boolean {
  const { child, leaves } = entry;
  if (child.entryYear > academicYear - 1) return false;
  if (leaves !== undefined && leaves < academicYear) return false;
  if (child.admission === SPECIAL.movedAway && academicYear === 2027) return false;
  return true;
}

export function ukSchoolYear(academicYear: UkDemoYear): UkSchoolYear {
  const staff = staffList();
  const groups = groupsOf(academicYear, staff);
  const everyone = children();
  // The twin shares the first twin's birthday and family name.
  const first = everyone.find((entry) => entry.child.admission === SPECIAL.twin)!.child;
  const second = everyone.find((entry) => entry.child.admission === SPECIAL.twin + 1)!.child;
  Object.assign(second, { dateOfBirth: first.dateOfBirth, surname: first.surname, forename: first.forename === "Amelia" ? "Olivia" : "Amelia" });
  const pupils = everyone.filter((entry) => onRoll(entry, academicYear)).map((entry) => pupilOf(entry.child, academicYear, groups));
  if (academicYear === 2027) pupils.push(pupilOf(childOf(ARRIVED, 2023, 7), academicYear, groups));
  return { year: academicYear, pupils, staff, ...groups };
}

export function ukDemoTruth(): UkDemoTruth {
  const before = new Map(ukSchoolYear(2026).pupils.map((pupil) => [pupil.admissionNumber, pupil]));
  const after = new Map(ukSchoolYear(2027).pupils.map((pupil) => [pupil.admissionNumber, pupil]));
  const number = (admission: number) => String(admission).padStart(6, "0");
  return {
    leavers: [...before.keys()].filter((admission) => !after.has(admission)),
    joiners: [...after.keys()].filter((admission) => !before.has(admission)),
    promoted: [...after.keys()].filter((admission) => before.has(admission)),
    newRecordSameChild: number(SPECIAL.newRecordSameChild),
    movedAway: number(SPECIAL.movedAway),
    arrived: number(ARRIVED),
    twins: [number(SPECIAL.twin), number(SPECIAL.twin + 1)],
    parentsAddress: number(SPECIAL.parentsAddress),
    personalAddresses: SPECIAL.personal.map(number),
  };
}
