/**
 * The demo district: a deterministic generated district in Clever's shapes, so a new user
 * can try everything without Clever. Every record is a pure function of (seed, index, day),
 * so a district of any size is produced lazily, the same way every time. Each "day" brings
 * leavers, joiners, name changes, class moves and typos, in small shares.
 */
import { schoolYearOf } from "../sync/policy/placement.ts";
import type { CleverCollection, CleverRecords } from "./clever-api.ts";
import { GIVEN_NAMES, FAMILY_NAMES } from "./names.ts";

export const DEMO_DISTRICT_ID = "5f0dd3e0000000000000d15c";
export const DEMO_CLIENT_ID = "rollcall-demo-client";
export const DEMO_CLIENT_SECRET = "rollcall-demo-secret";
export const DEMO_ACCESS_TOKEN = "demo-district-token-0000000000000000000000";

export interface DemoDistrictOptions {
  seed?: number;
  learners?: number;
  /** The school year the district is in (named by the year it ends); defaults to today's. */
  schoolYear?: number;
}

const SCHOOLS = [
  { name: "Maple Grove Elementary", grades: ["PreKindergarten", "Kindergarten", "1", "2", "3", "4", "5"], low: "PreKindergarten", high: "5" },
  { name: "Riverside Elementary", grades: ["TransitionalKindergarten", "Kindergarten", "1", "2", "3", "4", "5"], low: "TransitionalKindergarten", high: "5" },
  { name: "Lincoln Middle School", grades: ["6", "7", "8"], low: "6", high: "8" },
] as const;
const HOMEROOM_SIZE = 24;
const DAILY = { leave: 0.01, join: 0.01, rename: 0.004, move: 0.01, typo: 0.003 };
const RACES = ["Caucasian", "Asian", "Black or African American", "American Indian", "Hawaiian or Other Pacific Islander", "Two or More Races", "Unknown"];
const LANGUAGES = ["English", "Spanish", "Vietnamese", "Arabic", "Somali", "Mandarin"];
const GRADE_AGE: Record<string, number> = { PreKindergarten: 4, TransitionalKindergarten: 5, Kindergarten: 5 };

/** A number in [0, 1) from the seed and any keys: the district's only source of chance. */
export function chance(seed: number, ...keys: (number | string)[]): number {
  return Number(Bun.hash(`${seed}:${keys.join(":")}`) % 1_000_000n) / 1_000_000;
}

const hex = (kind: number, index: number) => `5f0dd3e0${kind.toString(16).padStart(2, "0")}${index.toString(16).padStart(14, "0")}`;
const indexOf = (id: string) => Number.parseInt(id.slice(10), 16);
const kindOf = (id: string) => Number.parseInt(id.slice(8, 10), 16);
const KIND = { school: 1, term: 2, course: 3, section: 4, student: 5, teacher: 6, event: 7, reRegistered: 8 } as const;

/**
 * One child leaves on day 1 and is registered again on day 2 as a new record, their first name
 * mistyped and their numbers new: the learner kept from before (removal is off by default) and
 * the new record are a pair an admin is asked about.
 */
const RE_REGISTERED = { index: 9, leaves: 1, returns: 2 } as const;
const RE_REGISTERED_ID = hex(KIND.reRegistered, 0);

interface DemoEvent {
  id: string;
  type: string;
  created: string;
  data: { object: { id: string } };
}

interface Placement {
  school: number;
  grade: string;
  homeroom: number;
}

export class DemoDistrict implements CleverRecords {
  readonly districtId = DEMO_DISTRICT_ID;
  readonly seed: number;
  readonly baseLearners: number;
  readonly schoolYear: number;
  day = 0;

  constructor(options: DemoDistrictOptions = {}) {
    this.seed = options.seed ?? 20260901;
    this.baseLearners = options.learners ?? 600;
    this.schoolYear = options.schoolYear ?? schoolYearOf(new Date());
    this.logEvent("districts.updated", this.collection("districts").at(0)!);
  }

  /** Clever's events, oldest first; the first says the district was shared, so a cursor exists from the start. */
  private readonly events: DemoEvent[] = [];

  /** Moves the district on by a day: what changes is decided by the seed and the day, and each change is an event. */
  advanceDay(): number {
    const slotsBefore = this.learnerSlots;
    const placedBefore = new Map<number, Placement>();
    const changed = this.changedOn(this.day + 1, slotsBefore);
    for (const index of changed.moved) placedBefore.set(index, this.placement(index));
    for (const index of changed.left) placedBefore.set(index, this.placement(index));
    this.day++;
    const joined: number[] = [];
    for (let index = slotsBefore; index < this.learnerSlots; index++) if (this.isEnrolled(index)) joined.push(index);
    for (const index of joined) this.logEvent("users.created", this.student(index));
    if (this.day === RE_REGISTERED.returns) this.logEvent("users.created", this.reRegistered());
    for (const index of changed.updated) this.logEvent("users.updated", this.student(index));
    for (const index of changed.left) this.logEvent("users.deleted", this.student(index));
    // Every homeroom a child joined or left restates its members.
    const sections = new Set<string>();
    const key = (place: Placement) => `${place.school}:${place.grade}:${place.homeroom}`;
    for (const place of placedBefore.values()) sections.add(key(place));
    for (const index of changed.moved) sections.add(key(this.placement(index)));
    for (const index of joined) sections.add(key(this.placement(index)));
    if (this.day === RE_REGISTERED.returns) sections.add(key(this.placement(RE_REGISTERED.index)));
    this.sectionList().forEach((place, sectionIndex) => {
      if (sections.has(key(place))) this.logEvent("sections.updated", this.sectionRecord(sectionIndex, place));
    });
    return this.day;
  }

  /** Who leaves, and whose record or homeroom changes, on `day` (among those enrolled the day before). */
  private changedOn(day: number, slots: number): { left: number[]; updated: number[]; moved: number[] } {
    const left: number[] = [];
    const updated: number[] = [];
    const moved: number[] = [];
    const on = (kind: keyof typeof DAILY, index: number) => chance(this.seed, kind, index, day) < DAILY[kind];
    for (let index = 0; index < slots; index++) {
      if (!this.isEnrolled(index)) continue;
      if (on("leave", index) || (index === RE_REGISTERED.index && day === RE_REGISTERED.leaves)) {
        left.push(index);
        continue;
      }
      // Only the first of each kind of change counts (happened() keeps the first day).
      const first = (kind: keyof typeof DAILY) => on(kind, index) && this.happened(kind, index) === null;
      const move = first("move");
      if (move) moved.push(index);
      if (move || first("rename") || first("typo")) updated.push(index);
    }
    return { left, updated, moved };
  }

  private logEvent(type: string, object: { id: string }): void {
    const created = new Date(Date.UTC(this.schoolYear - 1, 7, 17 + this.day)).toISOString();
    this.events.push({ id: hex(KIND.event, this.events.length), type, created, data: { object } });
  }

  /** Learners ever enrolled up to today: the base plus each day's joiners. */
  get learnerSlots(): number {
    return this.baseLearners + Math.floor(this.baseLearners * DAILY.join * this.day);
  }

  private happened(kind: keyof typeof DAILY, index: number): number | null {
    for (let day = 1; day <= this.day; day++) if (chance(this.seed, kind, index, day) < DAILY[kind]) return day;
    return null;
  }

  isEnrolled(index: number): boolean {
    if (index === RE_REGISTERED.index && this.day >= RE_REGISTERED.leaves) return false;
    return index < this.learnerSlots && this.happened("leave", index) === null;
  }

  /** The child who left on day 1, registered again from day 2: the same birthday, school and grade, a mistyped first name, new numbers. */
  private reRegistered() {
    const before = this.student(RE_REGISTERED.index);
    const student = before.roles.student;
    const given = before.name.first;
    const misTyped = given.length > 3 ? given.slice(0, 2) + given[3] + given[2] + given.slice(4) : `${given}e`;
    const username = `${misTyped}${before.name.last}r${RE_REGISTERED.index}`.toLowerCase().replace(/[^a-z0-9]/g, "");
    return {
      ...before,
      id: RE_REGISTERED_ID,
      email: `${username}@students.maplegrove.example`,
      name: { ...before.name, first: misTyped },
      roles: {
        student: {
          ...student,
          sis_id: String(200000 + RE_REGISTERED.index),
          student_number: String(200000 + RE_REGISTERED.index),
          state_id: String(800000000 + RE_REGISTERED.index),
          credentials: { district_username: username },
        },
      },
    };
  }

  private get reRegisteredIsHere(): boolean {
    return this.day >= RE_REGISTERED.returns;
  }

  placement(index: number): Placement {
    const school = index % SCHOOLS.length;
    const grades = SCHOOLS[school]!.grades;
    const withinSchool = Math.floor(index / SCHOOLS.length);
    const grade = grades[withinSchool % grades.length]!;
    const position = Math.floor(withinSchool / grades.length);
    const homerooms = this.homeroomCount(school, grade);
    const moved = this.happened("move", index) !== null ? 1 : 0;
    return { school, grade, homeroom: (Math.floor(position / HOMEROOM_SIZE) + moved) % homerooms };
  }

  private homeroomCount(school: number, _grade: string): number {
    const grades = SCHOOLS[school]!.grades;
    const perSchool = Math.ceil(this.baseLearners / SCHOOLS.length);
    const perGrade = Math.ceil(perSchool / grades.length);
    return Math.max(1, Math.ceil(perGrade / HOMEROOM_SIZE));
  }

  private sections: Placement[] | undefined;

  /** Sections in a fixed order: each school's grades, each grade's homerooms (fixed by the base size, so worked out once). */
  private sectionList(): Placement[] {
    if (this.sections) return this.sections;
    const sections: Placement[] = [];
    SCHOOLS.forEach((school, schoolIndex) => {
      for (const grade of school.grades)
        for (let homeroom = 0; homeroom < this.homeroomCount(schoolIndex, grade); homeroom++) sections.push({ school: schoolIndex, grade, homeroom });
    });
    this.sections = sections;
    return sections;
  }

  student(index: number) {
    const seed = this.seed;
    const place = this.placement(index);
    // Siblings: every seventh child shares the family name of the one before.
    const familyIndex = index % 7 === 1 ? index - 1 : index;
    let familyName = FAMILY_NAMES[Math.floor(chance(seed, "family", familyIndex) * FAMILY_NAMES.length)]!;
    if (this.happened("rename", index) !== null)
      familyName = `${familyName}-${FAMILY_NAMES[Math.floor(chance(seed, "newname", index) * FAMILY_NAMES.length)]!}`;
    let givenName = GIVEN_NAMES[Math.floor(chance(seed, "given", index) * GIVEN_NAMES.length)]!;
    if (this.happened("typo", index) !== null && givenName.length > 3) givenName = givenName.slice(0, 2) + givenName[3] + givenName[2] + givenName.slice(4);
    // Twins: children 10 and 11 share a birthday, a family name, a school and a grade.
    const twinOf = index === 11 ? 10 : index;
    if (index === 11) familyName = this.student(10).name.last;
    const age = GRADE_AGE[place.grade] ?? Number(place.grade) + 5;
    const birthYear = this.schoolYear - 1 - age - (chance(seed, "born", twinOf) < 0.66 ? 0 : 1);
    const month = 1 + Math.floor(chance(seed, "month", twinOf) * 12);
    const day = 1 + Math.floor(chance(seed, "day", twinOf) * 28);
    const id = hex(KIND.student, index);
    const schoolId = hex(KIND.school, place.school);
    const username = `${givenName}${familyName}${index}`.toLowerCase().replace(/[^a-z0-9]/g, "");
    return {
      id,
      district: DEMO_DISTRICT_ID,
      email: `${username}@students.maplegrove.example`,
      name: { first: givenName, middle: "", last: familyName },
      created: "2026-08-01T00:00:00.000Z",
      last_modified: "2026-08-01T00:00:00.000Z",
      roles: {
        student: {
          sis_id: String(100000 + index),
          student_number: String(100000 + index),
          state_id: String(900000000 + index),
          school: schoolId,
          schools: [schoolId],
          grade: place.grade,
          dob: `${month}/${day}/${birthYear}`,
          gender: chance(seed, "gender", index) < 0.49 ? "F" : chance(seed, "gender", index) < 0.98 ? "M" : "X",
          race: RACES[Math.floor(chance(seed, "race", index) * RACES.length)]!,
          hispanic_ethnicity: chance(seed, "hisp", index) < 0.25 ? "Y" : "N",
          ell_status: chance(seed, "ell", index) < 0.12 ? "Y" : "N",
          home_language: chance(seed, "ell", index) < 0.12 ? LANGUAGES[1 + Math.floor(chance(seed, "lang", index) * (LANGUAGES.length - 1))]! : "English",
          graduation_year: "",
          enrollments: [],
          credentials: { district_username: username },
          ext: {},
        },
      },
    };
  }

  private sectionRecord(sectionIndex: number, place: Placement) {
    const school = SCHOOLS[place.school]!;
    const teacherId = hex(KIND.teacher, sectionIndex);
    const label =
      place.grade === "PreKindergarten"
        ? "Pre-K"
        : place.grade === "TransitionalKindergarten"
          ? "TK"
          : place.grade === "Kindergarten"
            ? "Kindergarten"
            : `Grade ${place.grade}`;
    return {
      id: hex(KIND.section, sectionIndex),
      district: DEMO_DISTRICT_ID,
      school: hex(KIND.school, place.school),
      name: `${label} Homeroom - ${this.teacherName(sectionIndex).last} - ${String.fromCharCode(65 + place.homeroom)}`,
      sis_id: String(5000 + sectionIndex),
      subject: "homeroom/advisory",
      grade: place.grade,
      students: this.studentsIn(place),
      teacher: teacherId,
      teachers: [teacherId],
      term_id: hex(KIND.term, 0),
      course: hex(KIND.course, SCHOOLS.indexOf(school) * 20 + school.grades.indexOf(place.grade as never)),
      period: "1",
      section_number: String.fromCharCode(65 + place.homeroom),
      created: "2026-08-01T00:00:00.000Z",
      last_modified: "2026-08-01T00:00:00.000Z",
      ext: {},
    };
  }

  /**
   * The inverse of placement(): a homeroom holds the positions of its blocks of HOMEROOM_SIZE
   * (block b sits in homeroom b mod the count), plus the children of the block before who
   * moved up one. Only those positions are looked at, so a district of any size stays fast.
   */
  private studentsIn(place: Placement): string[] {
    const grades = SCHOOLS[place.school]!.grades;
    const gradeIndex = grades.indexOf(place.grade as never);
    const homerooms = this.homeroomCount(place.school, place.grade);
    const lastPosition = Math.floor(Math.floor((this.learnerSlots - 1) / SCHOOLS.length) / grades.length);
    const ids: string[] = [];
    for (let block = 0; block * HOMEROOM_SIZE <= lastPosition; block++) {
      const here = block % homerooms === place.homeroom;
      const before = (block + 1) % homerooms === place.homeroom;
      if (!here && !before) continue;
      for (let position = block * HOMEROOM_SIZE; position < (block + 1) * HOMEROOM_SIZE && position <= lastPosition; position++) {
        const index = (position * grades.length + gradeIndex) * SCHOOLS.length + place.school;
        if (index >= this.learnerSlots || !this.isEnrolled(index)) continue;
        if (this.placement(index).homeroom === place.homeroom) ids.push(hex(KIND.student, index));
      }
    }
    const returning = this.placement(RE_REGISTERED.index);
    if (this.reRegisteredIsHere && returning.school === place.school && returning.grade === place.grade && returning.homeroom === place.homeroom)
      ids.push(RE_REGISTERED_ID);
    return ids.sort();
  }

  private teacherName(sectionIndex: number) {
    return {
      first: GIVEN_NAMES[Math.floor(chance(this.seed, "tgiven", sectionIndex) * GIVEN_NAMES.length)]!,
      last: FAMILY_NAMES[Math.floor(chance(this.seed, "tfamily", sectionIndex) * FAMILY_NAMES.length)]!,
    };
  }

  private teacher(sectionIndex: number) {
    const place = this.sectionList()[sectionIndex]!;
    const name = this.teacherName(sectionIndex);
    const schoolId = hex(KIND.school, place.school);
    const mailbox = `${name.first}.${name.last}${sectionIndex}`.toLowerCase().replace(/[^a-z0-9.]/g, "");
    return {
      id: hex(KIND.teacher, sectionIndex),
      district: DEMO_DISTRICT_ID,
      email: `${mailbox}@maplegrove.example`,
      name: { first: name.first, middle: "", last: name.last },
      created: "2026-08-01T00:00:00.000Z",
      last_modified: "2026-08-01T00:00:00.000Z",
      roles: {
        teacher: {
          sis_id: `T${1000 + sectionIndex}`,
          teacher_number: `T${1000 + sectionIndex}`,
          state_id: "",
          school: schoolId,
          schools: [schoolId],
          title: "Teacher",
          credentials: { district_username: `t${1000 + sectionIndex}` },
          ext: {},
        },
      },
    };
  }

  private collection(name: CleverCollection): { count: number; at: (index: number) => { id: string } | null } {
    const sections = this.sectionList();
    switch (name) {
      case "districts":
        return {
          count: 1,
          at: () =>
            ({
              id: DEMO_DISTRICT_ID,
              name: "Maple Grove Unified (demo)",
              state: "running",
              sis_type: "sftp",
              login_methods: ["Clever Passwords"],
              mdr_number: "",
              nces_id: "",
              last_sync: null,
              launch_date: "2026-08-01",
              portal_url: "",
              error: "",
              pause_start: null,
              pause_end: null,
              district_contact: { id: "", district: DEMO_DISTRICT_ID, email: "", name: { first: "", last: "" }, title: "" },
            }) as { id: string },
        };
      case "schools":
        return {
          count: SCHOOLS.length,
          at: (index) => {
            const school = SCHOOLS[index]!;
            return {
              id: hex(KIND.school, index),
              district: DEMO_DISTRICT_ID,
              name: school.name,
              sis_id: String(100 + index),
              school_number: String(100 + index),
              state_id: `ST${100 + index}`,
              nces_id: "",
              mdr_number: "",
              low_grade: school.low,
              high_grade: school.high,
              phone: "",
              principal: { name: "", email: "" },
              location: { address: "", city: "", state: "", zip: "" },
              created: "2026-08-01T00:00:00.000Z",
              last_modified: "2026-08-01T00:00:00.000Z",
              ext: {},
            } as { id: string };
          },
        };
      case "terms":
        return {
          count: 1,
          at: () => ({
            id: hex(KIND.term, 0),
            district: DEMO_DISTRICT_ID,
            name: `${this.schoolYear - 1}-${this.schoolYear} School Year`,
            start_date: `${this.schoolYear - 1}-08-17`,
            end_date: `${this.schoolYear}-06-05`,
          }),
        };
      case "courses":
        return {
          count: SCHOOLS.length * 20,
          at: (index) => {
            const school = SCHOOLS[Math.floor(index / 20)]!;
            const grade = school.grades[index % 20];
            return grade
              ? ({ id: hex(KIND.course, index), district: DEMO_DISTRICT_ID, name: `Homeroom ${grade}`, number: String(index) } as { id: string })
              : null;
          },
        };
      case "sections":
        return { count: sections.length, at: (index) => this.sectionRecord(index, sections[index]!) };
      case "students":
        return { count: this.learnerSlots, at: (index) => (this.isEnrolled(index) ? this.student(index) : null) };
      case "teachers":
        return { count: sections.length, at: (index) => this.teacher(index) };
      case "events":
        return { count: this.events.length, at: (index) => this.events[index] ?? null };
    }
  }

  page(collection: CleverCollection, startingAfter: string | undefined, limit: number): { id: string }[] {
    // The re-registered child is listed after every other student.
    if (collection === "students" && startingAfter === RE_REGISTERED_ID) return [];
    const { count, at } = this.collection(collection);
    const records: { id: string }[] = [];
    for (let index = startingAfter ? indexOf(startingAfter) + 1 : 0; index < count && records.length < limit; index++) {
      const record = at(index);
      if (record) records.push(record);
    }
    if (collection === "students" && this.reRegisteredIsHere && records.length < limit) records.push(this.reRegistered());
    return records;
  }

  find(collection: "users" | "sections", id: string): { id: string } | undefined {
    if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
    const kind = kindOf(id);
    const index = indexOf(id);
    if (collection === "sections" && kind === KIND.section) return this.collection("sections").at(index) ?? undefined;
    if (collection === "users" && kind === KIND.student) return this.collection("students").at(index) ?? undefined;
    if (collection === "users" && id === RE_REGISTERED_ID && this.reRegisteredIsHere) return this.reRegistered();
    if (collection === "users" && kind === KIND.teacher) return index < this.sectionList().length ? this.teacher(index) : undefined;
    return undefined;
  }
}
