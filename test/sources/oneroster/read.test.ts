/**
 * Reading OneRoster CSV sets: the Ed-Fi sample loads fully through a real zip; every
 * defect PROVENANCE.md lists for the other public sets is reported at its file and line
 * while the rest loads; bad zips and broken files fail with a message that names them.
 */
import { describe, expect, test } from "bun:test";
import { type Problem, ReadFailed } from "../../../src/roster/snapshot.ts";
import { readOneRosterDirectory, readOneRosterZip } from "../../../src/sources/oneroster/index.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { fixtureDir, folderFiles, zipFiles } from "../../helpers/oneroster.ts";
import { sharedPath, skipWithoutShared } from "../../helpers/shared.ts";

async function readZip(files: Record<string, string | Buffer>) {
  const sink = new CollectingSink();
  const summary = await readOneRosterZip(await zipFiles(files), sink);
  return { sink, summary };
}

/** A problem at this file and line (and field) whose message contains `words`. */
function expectProblem(problems: Problem[], where: { file: string; line?: number; field?: string; severity?: "error" | "warning" }, words: string) {
  const found = problems.find(
    (problem) =>
      problem.file === where.file &&
      (where.line === undefined || problem.line === where.line) &&
      (where.field === undefined || problem.field === where.field) &&
      (where.severity === undefined || problem.severity === where.severity) &&
      problem.message.includes(words),
  );
  expect({ where, words, found: Boolean(found) }).toEqual({ where, words, found: true });
}

describe("the Ed-Fi OneRoster 1.1 sample (through a zip)", () => {
  test("loads fully: 2 orgs, 3 sessions, 2 courses, 2 classes, 10 users, 24 enrollments, 8 demographics", async () => {
    const { sink, summary } = await readZip(folderFiles(fixtureDir("edfi-or11")));
    expect(summary).toMatchObject({ source: "oneroster", mode: "full", version: "1.1" });
    expect(summary.rows).toEqual({ orgs: 2, academicSessions: 3, courses: 2, classes: 2, demographics: 8, users: 10, enrollments: 24 });
    expect(sink.schools.map((school) => school.name)).toEqual(["Grand Bend High School"]);
    expect(sink.academicSessions.length).toBe(3);
    expect(sink.classes.map((klass) => [klass.name, klass.courseName, klass.kind, klass.yearGroups[0]?.code, klass.academicSessionSourceIds.length])).toEqual([
      ["ENG-1", "English I", "subject_class", "9", 2],
      ["ALG-1", "Algebra I", "subject_class", "9", 2],
    ]);
    expect(sink.learners.length).toBe(8);
    expect(sink.educators.length).toBe(2);
    expect(sink.enrolments.length).toBe(24);
    expect(sink.enrolments.filter((enrolment) => enrolment.role === "educator").length).toBe(4);
    // Demographics reach every learner.
    expect(sink.learners.every((learner) => /^\d{4}-\d{2}-\d{2}$/.test(learner.dateOfBirth ?? ""))).toBe(true);
    const mary = sink.learners.find((learner) => learner.sourceId === "604863")!;
    expect(mary).toMatchObject({
      givenName: "Mary",
      familyName: "Archer",
      dateOfBirth: "1997-05-30",
      gender: "female",
      email: "mary.archer@studentgps.org",
      yearGroup: { code: "9", label: "09" },
    });
    expect(mary.demographics).toEqual({ ethnicity: ["Asian"], hispanicOrLatino: true });
  });

  test("its trailing-comma teacher rows are warnings, and nothing is an error", async () => {
    const { sink } = await readZip(folderFiles(fixtureDir("edfi-or11")));
    expectProblem(sink.problems, { file: "users.csv", line: 10, severity: "warning" }, "trailing comma");
    expectProblem(sink.problems, { file: "users.csv", line: 11, severity: "warning" }, "trailing comma");
    expectProblem(sink.problems, { file: "manifest.csv", line: 2, field: "manifest.version" }, "should be 1.0");
    expect(sink.problems.filter((problem) => problem.severity === "error")).toEqual([]);
  });

  test("the same people in the 1.0 layout (no manifest, other column names) give the same roster", async () => {
    const eleven = new CollectingSink();
    await readOneRosterDirectory(fixtureDir("edfi-or11"), eleven);
    const ten = new CollectingSink();
    const summary = await readOneRosterDirectory(fixtureDir("edfi-or10"), ten);
    expect(summary.version).toBe("1.0");
    expect(ten.learners.map((learner) => [learner.sourceId, learner.givenName, learner.dateOfBirth])).toEqual(
      eleven.learners.map((learner) => [learner.sourceId, learner.givenName, learner.dateOfBirth]),
    );
    expect(ten.enrolments.length).toBe(24);
    expect(ten.classes.map((klass) => klass.academicSessionSourceIds)).toEqual(eleven.classes.map((klass) => klass.academicSessionSourceIds));
    expectProblem(ten.problems, { file: "users.csv" }, "no manifest.csv");
    expectProblem(ten.problems, { file: "demographics.csv", line: 2, field: "sex" }, '"Female" should be written "female"');
    expectProblem(ten.problems, { file: "demographics.csv", line: 2, field: "asian" }, "lower case");
  });
});

describe.skipIf(skipWithoutShared("the public OneRoster sets"))("the other public sets: each defect at its file and line, the rest loads", () => {
  const set = (name: string) => sharedPath("fixtures/oneroster", name);

  test("lepo RosterHub 1.1: every field quoted, a typo in the manifest, teachers who are students", async () => {
    const sink = new CollectingSink();
    await readOneRosterZip(await zipFiles(folderFiles(set("lepo-rosterhub-or11-en"))), sink);
    expect([sink.schools.length, sink.academicSessions.length, sink.classes.length, sink.learners.length, sink.enrolments.length]).toEqual([1, 4, 5, 20, 30]);
    expectProblem(sink.problems, { file: "manifest.csv", line: 10, field: "fiel.demographics" }, "not a manifest property");
    for (const line of [2, 3, 4, 5, 6]) expectProblem(sink.problems, { file: "enrollments.csv", line, field: "role" }, 'says "teacher"');
    // A student account never gains a teacher's place.
    expect(sink.enrolments.every((enrolment) => enrolment.role === "learner")).toBe(true);
  });

  test("Catalyst full 1.1: a department as school, Scheduled, missing courses, a parent, mixed dates and statuses in a bulk file", async () => {
    const sink = new CollectingSink();
    const summary = await readOneRosterZip(await zipFiles(folderFiles(set("catalyst-moodle-enrol-oneroster/Test_full_data_set"))), sink);
    expect(summary.mode).toBe("full");
    expectProblem(sink.problems, { file: "manifest.csv", line: 17, field: "source.systemCode" }, "file mode");
    expectProblem(sink.problems, { file: "classes.csv", line: 2, field: "schoolSourcedId" }, "a department");
    expectProblem(sink.problems, { file: "classes.csv", line: 2, field: "classType" }, '"Scheduled" should be written "scheduled"');
    expectProblem(sink.problems, { file: "classes.csv", line: 2, field: "courseSourcedId" }, "no courses.csv");
    expectProblem(sink.problems, { file: "users.csv", line: 4, field: "role" }, '"parent"');
    expectProblem(sink.problems, { file: "users.csv", line: 2, field: "dateLastModified" }, '"2023-05-01" is not a date-time');
    expectProblem(sink.problems, { file: "academicSessions.csv", line: 4, field: "status" }, '"inactive"');
    expectProblem(sink.problems, { file: "orgs.csv", line: 2, field: "status" }, "bulk");
    expectProblem(sink.problems, { file: "enrollments.csv", line: 5, field: "classSourcedId" }, "tobedeleted");
    // The rest loads: one active class, its three people, the deleted class as a tombstone.
    expect(sink.classes.map((klass) => klass.sourceId)).toEqual(["cls-222-123456"]);
    expect(sink.tombstones).toEqual(expect.arrayContaining([{ entity: "class", sourceId: "cls-222-123478" }]));
    expect(sink.learners.map((learner) => learner.givenName).sort()).toEqual(["Anna", "Mary", "mmichel"]);
    expect(sink.enrolments.length).toBe(3);
  });

  test("Catalyst minimal 1.1: only required columns, CRLF, no newline at the end", async () => {
    const sink = new CollectingSink();
    await readOneRosterDirectory(set("catalyst-moodle-enrol-oneroster/Test_minimal_data_set"), sink);
    expect([sink.classes.length, sink.learners.length, sink.educators.length, sink.enrolments.length]).toEqual([2, 3, 2, 6]);
    expectProblem(sink.problems, { file: "enrollments.csv", line: 3, field: "role" }, 'says "student" but user "usr-222-987654" is a teacher');
  });

  test("Catalyst 1.2: misspelled headers, non-ISO dates, a broken roles header, a wrongly named file, empty manifest values", async () => {
    const sink = new CollectingSink();
    const summary = await readOneRosterZip(await zipFiles(folderFiles(set("catalyst-moodle-enrol-oneroster/v1p2_full_dataset"))), sink);
    expect(summary.version).toBe("1.2");
    expectProblem(sink.problems, { file: "users.csv", line: 1, field: "prefferedGivenName" }, 'did you mean "preferredGivenName"');
    expectProblem(sink.problems, { file: "users.csv", line: 2, field: "dateLastModified" }, '"1/05/2023"');
    expectProblem(sink.problems, { file: "roles.csv", line: 1, field: "dataLastModified" }, 'did you mean "dateLastModified"');
    expectProblem(sink.problems, { file: "roles.csv", line: 1 }, "the header ends with 2 empty cells (columns 10 to 11)");
    expectProblem(sink.problems, { file: "userprofiles.csv" }, "case-sensitive");
    expectProblem(sink.problems, { file: "manifest.csv", line: 22, field: "file.userProfiles" }, 'not ""');
    expectProblem(sink.problems, { file: "users.csv", line: 4, field: "role" }, "siteAdministrator");
    // Roles came from roles.csv: two teachers, three students.
    expect(sink.educators.map((educator) => educator.givenName).sort()).toEqual(["Jim", "John"]);
    expect(sink.learners.map((learner) => learner.givenName).sort()).toEqual(["Anna", "Mary", "mmichel"]);
  });

  test("Catalyst 1.2 delta: a clean set read as a delta, with demographics and roles", async () => {
    const sink = new CollectingSink();
    const summary = await readOneRosterDirectory(set("catalyst-moodle-enrol-oneroster/oneroster_test_data"), sink);
    expect(summary).toMatchObject({ mode: "delta", version: "1.2" });
    expect(sink.learners).toEqual([
      expect.objectContaining({ sourceId: "USER_0", givenName: "Bruce", familyName: "Wayne", dateOfBirth: "2010-04-17", studentNumber: "bruce.wayne" }),
    ]);
    expect(sink.classes[0]).toMatchObject({ name: "Basic Detection", courseName: "Crime Fighting 101" });
    expect(sink.problems.filter((problem) => problem.severity === "error")).toEqual([]);
  });
});

const HEADERS = {
  orgs: "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
  classes:
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
  users:
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
  enrollments: "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
};

const manifest = (mode: "bulk" | "delta") =>
  [
    "propertyName,value",
    "manifest.version,1.0",
    "oneroster.version,1.1",
    ...["orgs", "classes", "users", "enrollments"].map((file) => `file.${file},${mode}`),
  ].join("\n");

function smallSet(overrides: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    "manifest.csv": manifest("bulk"),
    "orgs.csv": `${HEADERS.orgs}\nsch1,,,North School,school,,\n`,
    "classes.csv": `${HEADERS.classes}\ncls1,,,Robins,KG,,,homeroom,,sch1,,,,\n`,
    "users.csv": `${HEADERS.users}\nu1,,,true,sch1,student,zoe,,Zoë,"O'Brien, Jr",,S-1,ZOE@school.org,,,,KG,\nu2,,,true,sch1,teacher,mr.t,,Tom,Teach,,,not-an-email,,,,,\n`,
    "enrollments.csv": `${HEADERS.enrollments}\ne1,,,cls1,sch1,u1,student,,,\ne2,,,cls1,sch1,u2,teacher,true,,\ne3,,,cls9,sch1,u1,student,,,\n`,
    ...overrides,
  } as Record<string, string>;
}

describe("small sets", () => {
  test("BOM, CRLF, quoted cells with commas, and an enrolment for an unknown class (an error that drops only that row)", async () => {
    const files = smallSet();
    files["users.csv"] = `\uFEFF${files["users.csv"]!.replace(/\n/g, "\r\n")}`;
    const { sink } = await readZip(files);
    expect(sink.learners[0]).toMatchObject({
      givenName: "Zoë",
      familyName: "O'Brien, Jr",
      email: "zoe@school.org",
      studentNumber: "S-1",
      yearGroup: { code: "Kindergarten" },
    });
    expect(sink.classes[0]).toMatchObject({ kind: "registration_group", name: "Robins" });
    expect(sink.enrolments).toEqual([
      { classSourceId: "cls1", personSourceId: "u1", role: "learner", primary: undefined },
      { classSourceId: "cls1", personSourceId: "u2", role: "educator", primary: true },
    ]);
    expectProblem(sink.problems, { file: "enrollments.csv", line: 4, field: "classSourcedId", severity: "error" }, '"cls9" is not a class');
    expectProblem(sink.problems, { file: "users.csv", line: 3, field: "email", severity: "warning" }, "not-an-email");
  });

  test("a user without a family name is dropped with their enrolments, each said once", async () => {
    const files = smallSet({ "users.csv": `${HEADERS.users}\nu1,,,true,sch1,student,zoe,,Zoe,,,,,,,,KG,\nu2,,,true,sch1,teacher,mr.t,,Tom,Teach,,,,,,,,\n` });
    const { sink } = await readZip(files);
    expectProblem(sink.problems, { file: "users.csv", line: 2, field: "familyName", severity: "error" }, "their enrollments with them");
    expectProblem(sink.problems, { file: "enrollments.csv", line: 2, field: "userSourcedId", severity: "error" }, 'user "u1" was dropped');
    expect(sink.learners).toEqual([]);
  });

  test("a delta set: tobedeleted rows become tombstones and unknown references are trusted", async () => {
    const { sink, summary } = await readZip({
      "manifest.csv": manifest("delta"),
      "users.csv": `${HEADERS.users}\nu1,tobedeleted,2026-01-05T10:00:00Z,true,sch1,student,zoe,,Zoe,Ng,,,,,,,KG,\nu3,active,2026-01-05T10:00:00Z,true,sch-old,student,kai,,Kai,Lee,,,,,,,1,\n`,
      "enrollments.csv": `${HEADERS.enrollments}\ne1,tobedeleted,2026-01-05T10:00:00Z,cls1,sch1,u1,student,,,\ne4,active,2026-01-05T10:00:00Z,cls-old,sch-old,u3,student,,,\n`,
    });
    expect(summary.mode).toBe("delta");
    expect(sink.tombstones).toEqual([
      { entity: "learner", sourceId: "u1" },
      { entity: "enrolment", sourceId: "e1", classSourceId: "cls1", personSourceId: "u1" },
    ]);
    expect(sink.learners.map((learner) => learner.sourceId)).toEqual(["u3"]);
    expect(sink.enrolments).toEqual([{ classSourceId: "cls-old", personSourceId: "u3", role: "learner", primary: undefined }]);
  });

  test("files inside a folder are read, with a warning", async () => {
    const files = Object.fromEntries(Object.entries(smallSet()).map(([name, body]) => [`export-2026/${name}`, body]));
    const { sink } = await readZip(files);
    expect(sink.learners.length).toBe(1);
    expect(sink.problems[0]!.message).toContain('inside a folder ("export-2026")');
  });

  test("a bulk set without users.csv fails the read instead of looking like an empty school", async () => {
    const files = smallSet();
    delete files["users.csv"];
    const error = await readZip(files).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReadFailed);
    expect((error as ReadFailed).message).toContain("users.csv");
  });

  test("broken quoting fails the read and names the file and line", async () => {
    const files = smallSet({ "classes.csv": `${HEADERS.classes}\ncls1,,,Robins,KG,,,homeroom,,sch1,,,,\ncls2,,,"Broken,KG,,,homeroom,,sch1,,,,\n` });
    const error = (await readZip(files).catch((caught: unknown) => caught)) as ReadFailed;
    expect(error).toBeInstanceOf(ReadFailed);
    expect(error.message).toContain("classes.csv");
    expect(error.message).toMatch(/line \d+/);
  });
});

describe("zip limits", () => {
  test("a file that is not a zip", async () => {
    const path = await zipFiles({ "users.csv": "x" });
    await Bun.write(path, "this is not a zip");
    await expect(readOneRosterZip(path, new CollectingSink())).rejects.toThrow("not a zip");
  });

  test("a zip bomb (a compression ratio no CSV has) is refused before it is unpacked", async () => {
    const files = smallSet({ "users.csv": `${HEADERS.users}\n${"0".repeat(30 * 1024 * 1024)}` });
    await expect(readZip(files)).rejects.toThrow("compressed");
  });

  test("too many files", async () => {
    const files: Record<string, string> = smallSet();
    for (let index = 0; index < 120; index++) files[`extra${index}.csv`] = "a,b\n1,2\n";
    await expect(readZip(files)).rejects.toThrow("more than 100 files");
  });
});
