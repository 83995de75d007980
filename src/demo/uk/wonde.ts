/**
 * The demo UK school as Wonde serves it: each academic year behind its own Wonde-compatible
 * API (src/demo/wonde-api.ts), at /demo/wonde/<year>/v1.0, read with the demo app's token.
 * Records are shaped as Wonde's recorded payloads are (../shared/fixtures/wonde): dates as PHP
 * DateTime dumps, includes wrapped in { data }.
 */
import { Hono } from "hono";
import { createWondeApi, type WondeSchoolData } from "../wonde-api.ts";
import { UK_DEMO_SCHOOL, UK_DEMO_YEARS, type UkDemoYear, type UkPupil, type UkSchoolYear, ukSchoolYear } from "./school.ts";

export const UK_DEMO_MOUNT = "/demo/wonde";
export const UK_DEMO_APP_TOKEN = "rollcall-demo-wonde-app-token";
/** The year the demo school is in now: the one after promotion. */
export const UK_DEMO_CURRENT_YEAR: UkDemoYear = 2027;

type Json = Record<string, unknown>;

export const ukDemoApiUrl = (baseUrl: string, year: UkDemoYear) => `${baseUrl}${UK_DEMO_MOUNT}/${year}/v1.0`;

/** The MIS updates records in the summer before the year starts. */
const phpDate = (date: string) => ({ date: `${date}.000000`, timezone_type: 3, timezone: "Europe/London" });
const updatedIn = (year: UkDemoYear) => phpDate(`${year - 1}-08-30 06:00:00`);

const yearGroupName = (year: number) => `Year ${year}`;

function studentOf(pupil: UkPupil, year: UkDemoYear): Json {
  return {
    id: pupil.id,
    upi: `${pupil.id}${"0".repeat(22)}`,
    mis_id: pupil.admissionNumber,
    initials: `${pupil.forename[0]}${pupil.surname[0]}`,
    forename: pupil.forename,
    surname: pupil.surname,
    legal_forename: pupil.forename,
    legal_surname: pupil.surname,
    middle_names: null,
    gender: pupil.gender,
    date_of_birth: phpDate(`${pupil.dateOfBirth} 00:00:00`),
    updated_at: updatedIn(year),
    education_details: {
      data: { admission_number: pupil.admissionNumber, upn: pupil.upn, former_upn: pupil.formerUpn ?? null, current_nc_year: String(pupil.year) },
    },
    year: { data: { id: `Y${year}${pupil.year}`, code: yearGroupName(pupil.year), name: yearGroupName(pupil.year) } },
    registration: { data: { id: pupil.registrationGroup.id, name: pupil.registrationGroup.name, type: "REGISTRATION" } },
    classes: { data: pupil.classes.map((klass) => ({ id: klass.id, name: klass.name, code: klass.name, subject: klass.subject })) },
    contact_details: { data: { emails: { email: pupil.email ?? null, primary: pupil.email ?? null } } },
    contacts: {
      data: pupil.contactEmail
        ? [
            {
              id: `P${pupil.id.slice(1)}`,
              forename: "Parent",
              surname: pupil.surname,
              relationship: "Mother",
              contact_details: { data: { emails: { email: pupil.contactEmail } } },
            },
          ]
        : [],
    },
  };
}

export function ukWondeData(school: UkSchoolYear): WondeSchoolData {
  const teaching = new Map<string, Json[]>();
  const teach = (staffId: string, klass: Json) => teaching.set(staffId, [...(teaching.get(staffId) ?? []), klass]);
  for (const klass of school.classes)
    teach(klass.teacherId, { id: klass.id, name: klass.name, meta: { is_main_teacher: true, is_class_teacher: true, role: "Teacher" } });
  return {
    school: {
      id: UK_DEMO_SCHOOL.id,
      name: UK_DEMO_SCHOOL.name,
      establishment_number: UK_DEMO_SCHOOL.establishment,
      urn: UK_DEMO_SCHOOL.urn,
      la_code: UK_DEMO_SCHOOL.laCode,
      phase_of_education: "SECONDARY",
      timezone: "Europe/London",
      mis: "SIMS",
      region: { code: "GBR", domain: "api.wonde.com", school_url: `https://api.wonde.com/v1.0/schools/${UK_DEMO_SCHOOL.id}` },
    },
    students: school.pupils.map((pupil) => studentOf(pupil, school.year)),
    employees: school.staff.map((member) => ({
      id: member.id,
      title: member.title,
      forename: member.forename,
      surname: member.surname,
      updated_at: updatedIn(school.year),
      contact_details: { data: { emails: { email: member.email } } },
      classes: { data: teaching.get(member.id) ?? [] },
    })),
    classes: school.classes.map((klass) => ({ id: klass.id, name: klass.name, code: klass.name, subject: klass.subject, updated_at: updatedIn(school.year) })),
    groups: [
      ...school.registrationGroups.map((group) => ({ id: group.id, name: group.name, type: "REGISTRATION" })),
      ...[7, 8, 9, 10, 11, 12, 13].map((year) => ({ id: `Y${school.year}${year}`, name: yearGroupName(year), type: "YEAR" })),
    ],
    deletions: [],
    contacts: [],
  };
}

/** Both academic years, each at /<year>/v1.0. */
export function createDemoWonde(): Hono {
  const app = new Hono();
  for (const year of UK_DEMO_YEARS) app.route(`/${year}`, createWondeApi({ token: UK_DEMO_APP_TOKEN, approved: [ukWondeData(ukSchoolYear(year))] }));
  return app;
}
