/**
 * The Wonde connector against a stand-in serving Wonde's own recorded payloads (the php
 * client's school, and a real class-with-students and employee-with-classes from a public
 * test, read from ../shared), plus one pupil whose every include is filled, to check the
 * mapping: names legal and in use, UPN and former UPN, admission number, year, registration
 * group, email. Paging, refusals, faults and delta reads are checked too.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ReadFailed } from "../../../src/roster/snapshot.ts";
import { approvedSchools, checkWondeSchool } from "../../../src/sources/wonde/app.ts";
import { readWonde } from "../../../src/sources/wonde/index.ts";
import { cliEnvironment, runRollcall } from "../../helpers/cli.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { sharedPath, skipWithoutShared } from "../../helpers/shared.ts";
import { startWondeStandIn, type WondeData, type WondeStandIn } from "../../helpers/wonde-standin.ts";

type Json = Record<string, unknown>;
const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as { data: Json & Json[] };
const date = (value: string) => ({ date: `${value}.000000`, timezone_type: 3, timezone: "Europe/London" });

function wondeData(): WondeData {
  const school = json(new URL("../../fixtures/wonde/wonde_school_get.json", import.meta.url).pathname).data;
  const klass = json(sharedPath("fixtures/wonde", "wonde_class_with_students_trimmed.json")).data as Json;
  const employees = json(sharedPath("fixtures/wonde", "wonde_employees_with_classes_trimmed.json")).data as unknown as Json[];
  const { students, lessons: _lessons, ...classOnly } = klass as Json & { students: { data: Json[] }; lessons?: unknown };
  const withClasses = (student: Json) => ({ ...student, classes: { data: [classOnly] } });
  const fullPupil: Json = {
    id: "A9000000001",
    upi: "00000000000000000000000000000001",
    mis_id: "13001",
    initials: "ZO",
    surname: "Okafor",
    forename: "Zoe",
    middle_names: null,
    legal_surname: "Okafor-Bright",
    legal_forename: "Zoë",
    gender: "F",
    date_of_birth: date("2010-03-09 00:00:00"),
    restored_at: null,
    created_at: date("2019-04-08 14:09:01"),
    updated_at: date("2023-05-20 05:07:27"),
    // The values quoted in wonde_education_details_fragment.txt.
    education_details: {
      data: { admission_number: "004504", upn: "N823432113104", local_upn: "N823432113107", former_upn: "N823432113102", current_nc_year: "10" },
    },
    year: { data: { id: "Y10", code: "Year 10", name: "Year 10" } },
    registration: { data: { id: "G10R", name: "10R", type: "REGISTRATION" } },
    classes: { data: [classOnly] },
    contact_details: { data: { emails: { email: "Zoe.Okafor@school.example", primary: "Zoe.Okafor@school.example" } } },
  };
  const nameless: Json = { ...students.data[0]!, id: "A9000000002", forename: null, legal_forename: null, classes: { data: [] } };
  const employeeClasses = employees.flatMap((employee) => ((employee.classes as { data: Json[] }).data ?? []).map(({ meta: _meta, ...rest }) => rest));
  return {
    school,
    students: [...students.data.map(withClasses), fullPupil, nameless],
    employees,
    classes: [classOnly, ...employeeClasses],
    groups: [
      { id: "G10R", name: "10R", type: "REGISTRATION" },
      { id: "GY10", name: "Year 10", type: "YEAR" },
    ],
    deletions: [
      { id: "A5550000001", type: "student", restored_at: null, updated_at: date("2023-05-21 09:00:00") },
      { id: "A5550000002", type: "student", restored_at: date("2023-06-01 10:00:00"), updated_at: date("2023-06-01 10:00:00") },
      { id: "A5550000003", type: "employee", restored_at: null, updated_at: date("2023-05-21 09:00:00") },
    ],
  };
}

describe.skipIf(skipWithoutShared("the Wonde payloads"))("reading Wonde", () => {
  let wonde: WondeStandIn;
  beforeEach(() => {
    wonde = startWondeStandIn(wondeData());
  });
  afterEach(() => wonde.stop());
  const connection = () => ({ schoolId: "A1930499544", token: "wonde-test-token", baseUrl: wonde.url });
  const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

  test("a full read, one record per page, gives the school, its pupils, staff, classes and places", async () => {
    const sink = new CollectingSink();
    const summary = await readWonde(connection(), sink, { perPage: 1, ...fast, now: new Date("2026-11-30T22:00:00Z") });
    expect(summary).toEqual({ source: "wonde", mode: "full", cursor: "2026-11-30 22:00:00" });
    expect(sink.schools).toEqual([{ sourceId: "A1930499544", name: "Wonde Testing School", schoolNumber: "10000", stateId: "10003" }]);
    expect(sink.learners.map((learner) => `${learner.givenName} ${learner.familyName}`)).toEqual(["Mabon Pendry", "Ayasha Khouri", "Zoë Okafor-Bright"]);
    // The pupil without a name is dropped, and said so.
    expect(sink.problems).toContainEqual(expect.objectContaining({ severity: "error", file: "/students", field: "forename", sourceId: "A9000000002" }));
    expect(sink.classes.map((klass) => [klass.name, klass.kind])).toEqual([
      ["10y/Re3", "subject_class"],
      ["10B/Gg1", "subject_class"],
      ["10z/Ma1", "subject_class"],
      ["10R", "registration_group"],
    ]);
    expect(sink.educators.map((educator) => [educator.givenName, educator.familyName, educator.title])).toEqual([["Adrian", "Blacker", "Mr"]]);
    expect(sink.enrolments.filter((enrolment) => enrolment.role === "educator")).toEqual([
      { classSourceId: "A1884218389", personSourceId: "A2082387062", role: "educator", primary: true },
      { classSourceId: "A791079319", personSourceId: "A2082387062", role: "educator", primary: expect.any(Boolean) },
    ]);
    expect(
      sink.enrolments
        .filter((enrolment) => enrolment.role === "learner")
        .map((enrolment) => `${enrolment.personSourceId}>${enrolment.classSourceId}`)
        .sort(),
    ).toEqual(["A1504266511>A1791881234", "A718545653>A1791881234", "A9000000001>A1791881234", "A9000000001>G10R"].sort());
    // Every page was asked for with its includes and followed to the end.
    expect(wonde.requests.filter((path) => path.includes("/students")).length).toBe(4);
    expect(wonde.requests.find((path) => path.includes("/students"))).toContain("include=education_details%2Cyear%2Cregistration%2Cclasses%2Ccontact_details");
  });

  test("the pupil with every include maps to legal and preferred names, UPNs, admission number, year and email", async () => {
    const sink = new CollectingSink();
    await readWonde(connection(), sink, fast);
    const zoe = sink.learners.find((learner) => learner.sourceId === "A9000000001")!;
    expect(zoe).toEqual({
      sourceId: "A9000000001",
      schoolSourceIds: ["A1930499544"],
      givenName: "Zoë",
      familyName: "Okafor-Bright",
      middleName: undefined,
      preferredGivenName: "Zoe",
      preferredFamilyName: "Okafor",
      dateOfBirth: "2010-03-09",
      gender: "female",
      yearGroup: { code: "10", label: "Year 10" },
      email: "zoe.okafor@school.example",
      upn: "N823432113104",
      formerUpns: undefined,
      studentNumber: "004504",
    });
    // The former UPN's check letter is wrong (as the help page's example is): warned, left out.
    expect(sink.problems.some((problem) => problem.field === "upn")).toBe(false);
    expect(sink.classes.find((klass) => klass.sourceId === "G10R")!.yearGroups).toEqual([{ code: "10", label: "Year 10" }]);
  });

  test("the test school's pupils, whose personal fields the app may not read, are kept with what there is", async () => {
    const sink = new CollectingSink();
    await readWonde(connection(), sink, fast);
    const mabon = sink.learners.find((learner) => learner.sourceId === "A1504266511")!;
    expect(mabon).toMatchObject({ givenName: "Mabon", familyName: "Pendry", dateOfBirth: undefined, gender: undefined, studentNumber: "12741" });
  });

  test("a wrong token and an unknown school are clear errors", async () => {
    const wrongToken = await readWonde({ ...connection(), token: "nope" }, new CollectingSink(), fast).catch((error: unknown) => error);
    expect(wrongToken).toBeInstanceOf(ReadFailed);
    expect((wrongToken as ReadFailed).message).toContain("did not accept this Rollcall's app token");
    const wrongSchool = await readWonde({ ...connection(), schoolId: "A0000000000" }, new CollectingSink(), fast).catch((error: unknown) => error);
    expect((wrongSchool as ReadFailed).message).toContain("does not know this school ID");
  });

  test("the school's data is read from its region's address, which the school object names", async () => {
    // The school lives in another region: the global address answers its object, pointing there.
    const regionHost = startWondeStandIn(wondeData());
    const school = wonde.data.school as Record<string, unknown>;
    const regionUrl = `${regionHost.url}/schools/${school.id}`;
    const global = startWondeStandIn({ ...wondeData(), students: [], employees: [], classes: [], groups: [] });
    try {
      global.data.school = { ...school, region: { code: "AUS", domain: new URL(regionHost.url).host, school_url: regionUrl } };
      const sink = new CollectingSink();
      await readWonde({ ...connection(), baseUrl: global.url }, sink, fast);
      expect(sink.learners.length).toBeGreaterThan(0);
      expect(global.requests.filter((path) => path.includes("/students"))).toEqual([]);
      expect(regionHost.requests.some((path) => path.includes("/students"))).toBe(true);
    } finally {
      regionHost.stop();
      global.stop();
    }
  });

  test("500s are retried and the read completes; a web page instead of data fails the read", async () => {
    wonde.failNext(2);
    const sink = new CollectingSink();
    await readWonde(connection(), sink, { perPage: 2, ...fast });
    expect(sink.learners.length).toBe(3);
    wonde.failNext(1, "html");
    const error = await readWonde(connection(), new CollectingSink(), { perPage: 2, ...fast }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReadFailed);
    expect((error as ReadFailed).message).toContain("web page");
  });

  test("a delta read asks for what changed since the cursor, and turns deletions into tombstones (restored ones excepted)", async () => {
    const sink = new CollectingSink();
    const summary = await readWonde({ ...connection(), cursor: "2023-05-20 05:07:26" }, sink, { mode: "delta", ...fast });
    expect(summary.mode).toBe("delta");
    expect(wonde.requests.every((path) => !path.includes("/students") || path.includes("updated_after=2023-05-20+05%3A07%3A26"))).toBe(true);
    // Only the pupils updated after the cursor.
    expect(sink.learners.map((learner) => learner.sourceId).sort()).toEqual(["A1504266511", "A9000000001"]);
    expect(sink.tombstones).toEqual([
      { entity: "learner", sourceId: "A5550000001" },
      { entity: "educator", sourceId: "A5550000003" },
    ]);
  });
});

describe.skipIf(skipWithoutShared("the Wonde payloads"))("rollcall read --source wonde", () => {
  test("prints the counts of a Wonde school", async () => {
    const wonde = startWondeStandIn(wondeData());
    try {
      const result = await runRollcall(
        ["read", "--source", "wonde", "--school", "A1930499544", "--token", "wonde-test-token", "--base-url", wonde.url, "--json"],
        cliEnvironment(undefined),
      );
      expect(result.exitCode).toBe(0);
      const output = JSON.parse(result.stdout) as { counts: Record<string, number>; problems: { severity: string }[] };
      expect(output.counts).toEqual({ schools: 1, academicSessions: 0, classes: 4, learners: 3, educators: 1, enrolments: 6 });
      expect(output.problems.filter((problem) => problem.severity === "error").length).toBe(1);
    } finally {
      wonde.stop();
    }
  });
});

describe.skipIf(skipWithoutShared("the Wonde payloads"))("Wonde as the vendor's app", () => {
  const pendingSchool = { id: "A2000000001", name: "Brook Lane Primary" };
  let wonde: WondeStandIn;
  beforeEach(() => {
    wonde = startWondeStandIn(wondeData(), "app-token", [pendingSchool]);
  });
  afterEach(() => wonde.stop());
  const app = () => ({ token: "app-token", apiUrl: wonde.url });

  test("a school that approved the app is found by its ID, and listed for picking", async () => {
    expect(await checkWondeSchool(app(), "A1930499544")).toEqual({ ok: true, name: "Wonde Testing School" });
    expect(await approvedSchools(app())).toEqual([{ id: "A1930499544", name: "Wonde Testing School" }]);
  });

  test("a school that has not approved the app yet is told so; an unknown ID and a wrong token are told apart", async () => {
    const pending = await checkWondeSchool(app(), pendingSchool.id);
    expect(pending).toMatchObject({ ok: false, problem: "not approved" });
    expect(pending.ok ? "" : pending.message).toContain("has not approved Rollcall in Wonde yet");
    expect(await checkWondeSchool(app(), "A0000000000")).toMatchObject({ ok: false, problem: "unknown school" });
    expect(await checkWondeSchool({ ...app(), token: "nope" }, "A1930499544")).toMatchObject({ ok: false, problem: "app token" });
    expect(await checkWondeSchool({ ...app(), apiUrl: "http://127.0.0.1:1/v1.0" }, "A1930499544")).toMatchObject({ ok: false, problem: "unreachable" });
  });

  test("a pending school's data is refused with the same words when read", async () => {
    const error = await readWonde({ schoolId: pendingSchool.id, token: "app-token", baseUrl: wonde.url }, new CollectingSink(), {
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    }).catch((caught: unknown) => caught);
    expect((error as ReadFailed).message).toContain("has not approved Rollcall in Wonde yet");
  });
});
