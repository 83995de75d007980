/**
 * Real-world OneRoster defects (issue 16): other encodings and control characters, the case
 * of enumerations, dates in other shapes, a missing manifest, missing columns, trailing
 * header cells. Each is read as far as it safely can be, and said once, where it is.
 */
import { describe, expect, test } from "bun:test";
import { Readable } from "node:stream";
import type { Problem } from "../../../src/roster/snapshot.ts";
import { asUtf8, type EncodingChange } from "../../../src/sources/oneroster/encoding.ts";
import { readOneRosterZip } from "../../../src/sources/oneroster/index.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { zipFiles } from "../../helpers/oneroster.ts";

const H = {
  orgs: "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
  sessions: "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
  classes:
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
  users:
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
  enrollments: "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
  demographics: "sourcedId,status,dateLastModified,birthDate,sex",
};
const manifest = (mode = "bulk", files = ["orgs", "classes", "users", "enrollments"]) =>
  ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.1", ...files.map((file) => `file.${file},${mode}`)].join("\n");
const user = (id: string, given: string, family: string, extra: { status?: string; role?: string; grade?: string } = {}) =>
  `${id},${extra.status ?? ""},,true,sch1,${extra.role ?? "student"},${id},,${given},${family},,,,,,,${extra.grade ?? "04"},`;

function set(overrides: Record<string, string | Buffer | undefined> = {}): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer | undefined> = {
    "manifest.csv": manifest(),
    "orgs.csv": `${H.orgs}\nsch1,,,North School,school,,\n`,
    "classes.csv": `${H.classes}\ncls1,,,Robins,04,,,homeroom,,sch1,,,,\n`,
    "users.csv": `${H.users}\n${user("u1", "Zoe", "Ng")}\n${user("t1", "Tom", "Teach", { role: "teacher", grade: "" })}\n`,
    "enrollments.csv": `${H.enrollments}\ne1,,,cls1,sch1,u1,student,,,\ne2,,,cls1,sch1,t1,teacher,true,,\n`,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string | Buffer] => entry[1] !== undefined));
}

async function read(files: Record<string, string | Buffer>) {
  const sink = new CollectingSink();
  const summary = await readOneRosterZip(await zipFiles(files), sink);
  return { sink, summary };
}

const at = (problems: Problem[], file: string, line?: number) =>
  problems.filter((problem) => problem.file === file && (line === undefined || problem.line === line));
const messages = (problems: Problem[]) => problems.map((problem) => problem.message);

describe("encodings and control characters (point 11)", () => {
  test("a Windows-1252 users.csv is read as such, with one warning naming the file, and no U+FFFD in any name", async () => {
    const latin = Buffer.from(
      `${H.users}\n${user("u1", "Zoë", "Müller")}\n${user("u2", "José", "Peña")}\n${user("t1", "Tom", "Teach", { role: "teacher", grade: "" })}\n`,
      "latin1",
    );
    const { sink } = await read(set({ "users.csv": latin }));
    expect(sink.learners.map((learner) => `${learner.givenName} ${learner.familyName}`)).toEqual(["Zoë Müller", "José Peña"]);
    const warnings = sink.problems.filter((problem) => problem.message.includes("Windows-1252"));
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: "warning",
        file: "users.csv",
        line: 2,
        message: expect.stringContaining("is not in UTF-8: it was read as Windows-1252"),
      }),
    ]);
    expect(JSON.stringify(sink.learners)).not.toContain("\uFFFD");
  });

  test("a file that turns into Windows-1252 part-way names the line; what came before stays UTF-8", async () => {
    const start = Buffer.from(`${H.users}\n${user("u1", "Zoë", "Ng")}\n`, "utf8");
    const rest = Buffer.from(`${user("u2", "Renée", "Lee")}\n`, "latin1");
    const { sink } = await read(set({ "users.csv": Buffer.concat([start, rest]) }));
    expect(sink.learners.map((learner) => learner.givenName)).toEqual(["Zoë", "Renée"]);
    expect(sink.problems).toContainEqual(
      expect.objectContaining({ file: "users.csv", line: 3, message: expect.stringContaining("from line 3 on it was read as Windows-1252") }),
    );
  });

  test("UTF-16 with its byte-order mark is read, with a warning", async () => {
    const body = `${H.users}\n${user("u1", "Zoë", "Ng")}\n`;
    const { sink } = await read(set({ "users.csv": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, "utf16le")]) }));
    expect(sink.learners.map((learner) => learner.givenName)).toEqual(["Zoë"]);
    expect(sink.problems).toContainEqual(expect.objectContaining({ file: "users.csv", message: expect.stringContaining("UTF-16") }));
  });

  test("NUL and other control characters, a byte-order mark mid-file and U+FFFD are removed, each with a warning at its line and field", async () => {
    const users = [H.users, user("u1", "Zoe\u0000", "Ng"), user("\uFEFFu2", "Kai", "Le\u0007e"), user("u3", "Jos\uFFFD", "Pe\uFFFDa"), ""].join("\n");
    const { sink } = await read(set({ "users.csv": users }));
    expect(sink.learners.map((learner) => [learner.sourceId, learner.givenName, learner.familyName])).toEqual([
      ["u1", "Zoe", "Ng"],
      ["u2", "Kai", "Lee"],
      ["u3", "Jos", "Pea"],
    ]);
    expect(at(sink.problems, "users.csv", 2)).toEqual([
      expect.objectContaining({ severity: "warning", field: "givenName", message: expect.stringContaining("control characters") }),
    ]);
    expect(at(sink.problems, "users.csv", 3).map((problem) => problem.field)).toEqual(["sourcedId", "username", "familyName"]);
    expect(at(sink.problems, "users.csv", 4).map((problem) => [problem.field, problem.message.includes("could not read")])).toEqual([
      ["givenName", true],
      ["familyName", true],
    ]);
  });

  test("valid UTF-8 passes through chunk by chunk, a character cut between chunks included", async () => {
    const text = `Zoë,Müller,${"x".repeat(100)}\n`.repeat(50);
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 7) chunks.push(bytes.subarray(at, at + 7));
    const changes: EncodingChange[] = [];
    const out: Buffer[] = [];
    for await (const chunk of asUtf8(Readable.from(chunks), (change) => changes.push(change))) out.push(chunk);
    expect(Buffer.concat(out).toString("utf8")).toBe(text);
    expect(changes).toEqual([]);
    // Streamed: as many pieces out as came in (nothing gathered whole).
    expect(out.length).toBeGreaterThan(chunks.length / 2);
  });

  test("a file that ends inside a UTF-8 sequence is read as Windows-1252 from there", async () => {
    const changes: EncodingChange[] = [];
    const out: Buffer[] = [];
    for await (const chunk of asUtf8(Readable.from([Buffer.from("a,b\n"), Buffer.from([0x63, 0xc3])]), (change) => changes.push(change))) out.push(chunk);
    expect(Buffer.concat(out).toString("utf8")).toBe("a,b\ncÃ");
    expect(changes).toEqual([{ encoding: "windows-1252", line: 2, whole: true }]);
  });
});

describe("enumerations (point 3)", () => {
  test("status, role, class type, sex and booleans in the wrong case are read, with one warning per file and value", async () => {
    const users = [
      H.users,
      user("u1", "Zoe", "Ng", { role: "Student" }),
      user("u2", "Kai", "Lee", { role: "Student", status: "Active" }),
      user("u3", "Al", "Bo", { status: " toBeDeleted " }),
      user("t1", "Tom", "Teach", { role: "TEACHER", grade: "" }),
      "",
    ].join("\n");
    const { sink } = await read(
      set({
        "manifest.csv": undefined,
        "users.csv": users,
        "classes.csv": `${H.classes}\ncls1,,,Robins,04,,,Homeroom,,sch1,,,,\n`,
        "enrollments.csv": `${H.enrollments}\ne1,,,cls1,sch1,u1,STUDENT,,,\ne2,,,cls1,sch1,t1,Teacher,True,,\n`,
        "demographics.csv": `${H.demographics}\nu1,,,2015-03-09,FEMALE\n`,
      }),
    );
    expect(sink.learners.map((learner) => [learner.sourceId, learner.gender])).toEqual([
      ["u1", "female"],
      ["u2", undefined],
    ]);
    expect(sink.educators.map((educator) => educator.sourceId)).toEqual(["t1"]);
    expect(sink.tombstones).toEqual([{ entity: "learner", sourceId: "u3" }]);
    expect(sink.classes[0]!.kind).toBe("registration_group");
    expect(sink.enrolments).toEqual([
      { classSourceId: "cls1", personSourceId: "u1", role: "learner", primary: undefined },
      { classSourceId: "cls1", personSourceId: "t1", role: "educator", primary: true },
    ]);
    const caseWarnings = messages(sink.problems.filter((problem) => problem.message.includes("case")));
    expect(caseWarnings.sort()).toEqual(
      [
        '"Homeroom" should be written "homeroom" (values are case-sensitive); it was read as homeroom',
        '"Student" should be written "student" (values are case-sensitive); it was read as student (on 2 rows; this is the first)',
        '"TEACHER" should be written "teacher" (values are case-sensitive); it was read as teacher',
        '"Active" should be written "active" (values are case-sensitive); it was read as active',
        '"toBeDeleted" should be written "tobedeleted" (values are case-sensitive); the row was read as a deletion',
        '"STUDENT" should be written "student" (values are case-sensitive); it was read as student',
        '"Teacher" should be written "teacher" (values are case-sensitive); it was read as teacher',
        '"True" should be written true, in lower case; it was read as true',
        '"FEMALE" should be written "female" (values are case-sensitive); it was read as female',
      ].sort(),
    );
  });

  test("a status that is not a OneRoster one is read as active, never as a deletion, and said at its line", async () => {
    const { sink } = await read(set({ "users.csv": `${H.users}\n${user("u1", "Zoe", "Ng", { status: "deleted" })}\n` }));
    expect(sink.learners.map((learner) => learner.sourceId)).toEqual(["u1"]);
    expect(sink.tombstones).toEqual([]);
    expect(at(sink.problems, "users.csv", 2)).toContainEqual(
      expect.objectContaining({ field: "status", message: '"deleted" is not active or tobedeleted; the row was read as active' }),
    );
  });

  test("grades outside OneRoster's codes are reported, and read by label where they are known", async () => {
    const users = [
      H.users,
      user("u1", "Zoe", "Ng", { grade: "Year 4" }),
      user("u2", "Kai", "Lee", { grade: "Reception" }),
      user("u3", "Al", "Bo", { grade: "Year 4" }),
      user("u4", "Mo", "Li", { grade: "Form X" }),
      user("u5", "Ed", "Wu", { grade: "KG" }),
      "",
    ].join("\n");
    const { sink } = await read(set({ "users.csv": users }));
    expect(sink.learners.map((learner) => learner.yearGroup)).toEqual([
      { code: "4", label: "Year 4" },
      { code: "Kindergarten", label: "Reception" },
      { code: "4", label: "Year 4" },
      undefined,
      { code: "Kindergarten", label: "KG" },
    ]);
    expect(messages(sink.problems.filter((problem) => problem.field === "grades")).sort()).toEqual(
      [
        '"Form X" is not a known grade code; the learner was kept without a grade',
        '"Reception" is not one of OneRoster\'s grade codes (KG, 01 to 13 and the like); it was read as KG',
        '"Year 4" is not one of OneRoster\'s grade codes (KG, 01 to 13 and the like); it was read as 04 (on 2 rows; this is the first)',
      ].sort(),
    );
  });

  test("a manifest mode in the wrong case is read (a delta stays a delta)", async () => {
    const { summary, sink } = await read({
      "manifest.csv": manifest("Delta", ["users"]),
      "users.csv": `${H.users}\nu1,tobedeleted,2026-01-05T10:00:00Z,true,sch1,student,zoe,,Zoe,Ng,,,,,,,04,\n`,
    });
    expect(summary.mode).toBe("delta");
    expect(sink.tombstones).toEqual([{ entity: "learner", sourceId: "u1" }]);
    expect(sink.problems).toContainEqual(
      expect.objectContaining({
        file: "manifest.csv",
        field: "file.users",
        message: '"Delta" should be written delta (values are case-sensitive); it was read as delta',
      }),
    );
  });
});

describe("dates (point 4)", () => {
  const sessions = (rows: string[]) => `${H.sessions}\n${rows.join("\n")}\n`;
  const demographics = (rows: string[]) => `${H.demographics}\n${rows.join("\n")}\n`;

  test("month-first, day-first and year-first dates are read, with one warning per file and shape", async () => {
    const { sink } = await read(
      set({
        "academicSessions.csv": sessions(["y1,,,2018,schoolYear,8/27/2018,6/14/2019,,2019", "t1,,,Fall,term,2018/08/27,2018/12/20,y1,2019"]),
        "demographics.csv": demographics(["u1,,,27/08/2012,female", "t1,,,30/01/1980,male"]),
      }),
    );
    expect(sink.academicSessions.map((session) => [session.startDate, session.endDate])).toEqual([
      ["2018-08-27", "2019-06-14"],
      ["2018-08-27", "2018-12-20"],
    ]);
    expect(sink.learners[0]!.dateOfBirth).toBe("2012-08-27");
    expect(
      messages(sink.problems)
        .filter((message) => message.startsWith("dates are written"))
        .sort(),
    ).toEqual(
      [
        'dates are written like "8/27/2018" (month/day/year), not like 2014-03-09; they were read as month/day/year',
        'dates are written like "6/14/2019" (month/day/year), not like 2014-03-09; they were read as month/day/year',
        'dates are written like "2018/08/27" (year/month/day), not like 2014-03-09; they were read as year/month/day',
        'dates are written like "2018/12/20" (year/month/day), not like 2014-03-09; they were read as year/month/day',
        'dates are written like "27/08/2012" (day/month/year), not like 2014-03-09; they were read as day/month/year',
      ].sort(),
    );
  });

  test("a date that fits both shapes is read in the set's prevailing shape, even when the telling dates come later", async () => {
    const { sink } = await read(
      set({
        "academicSessions.csv": sessions(["y1,,,2023,schoolYear,1/05/2023,2/06/2024,,2024"]),
        "users.csv": `${H.users}\n${user("u1", "Zoe", "Ng")}\n${user("u2", "Kai", "Lee")}\n${user("u3", "Al", "Bo")}\n`,
        "demographics.csv": demographics(["u1,,,3/04/2015,female", "u2,,,15/06/2015,male", "u3,,,28/02/2015,male"]),
      }),
    );
    expect(sink.academicSessions[0]).toMatchObject({ startDate: "2023-05-01", endDate: "2024-06-02" });
    expect(sink.learners.map((learner) => learner.dateOfBirth)).toEqual(["2015-04-03", "2015-06-15", "2015-02-28"]);
    expect(sink.problems).toContainEqual(
      expect.objectContaining({
        file: "academicSessions.csv",
        line: 2,
        field: "startDate",
        message: '"1/05/2023" could be day/month/year or month/day/year; most dates in this roster are day/month/year, so it was read that way',
      }),
    );
  });

  test("a date nothing in the set decides, or no date at all, is a warning at its line and field", async () => {
    const { sink } = await read(set({ "demographics.csv": demographics(["u1,,,3/04/2015,female", "t1,,,next tuesday,male"]) }));
    expect(sink.learners[0]!.dateOfBirth).toBeUndefined();
    expect(sink.problems).toContainEqual(
      expect.objectContaining({
        file: "demographics.csv",
        line: 2,
        field: "birthDate",
        message: '"3/04/2015" could be day/month/year or month/day/year, and no other date in the roster tells which; it was ignored',
      }),
    );
    // t1 is a teacher: demographics are read for learners only, so "next tuesday" is never a learner's date.
    const { sink: other } = await read(set({ "academicSessions.csv": sessions(["y1,,,2023,schoolYear,next tuesday,2024-06-30,,2024"]) }));
    expect(other.problems).toContainEqual(
      expect.objectContaining({
        file: "academicSessions.csv",
        line: 2,
        field: "startDate",
        message: '"next tuesday" is not a date like 2014-03-09; it was ignored',
      }),
    );
    expect(other.academicSessions[0]).toMatchObject({ startDate: undefined, endDate: "2024-06-30" });
  });
});

describe("a set without a manifest (point 5)", () => {
  test("1.1 columns make it 1.1, and rows with a status get no warning about a manifest", async () => {
    const users = [H.users, user("u1", "Zoe", "Ng", { status: "active" }), user("u2", "Kai", "Lee", { status: "tobedeleted" }), ""].join("\n");
    const { sink, summary } = await read(set({ "manifest.csv": undefined, "users.csv": users }));
    expect(summary).toMatchObject({ version: "1.1", mode: "full" });
    expect(sink.tombstones).toEqual([{ entity: "learner", sourceId: "u2" }]);
    expect(messages(sink.problems).filter((message) => message.includes("manifest"))).toEqual([
      "the set has no manifest.csv; its columns are those of OneRoster 1.1, so it was read as 1.1",
    ]);
  });

  test("1.0 columns keep it 1.0, where inactive is a deletion without a warning", async () => {
    const { sink, summary } = await read(
      set({
        "manifest.csv": undefined,
        "users.csv":
          "sourcedId,status,dateLastModified,orgSourcedIds,role,username,userId,givenName,familyName,identifier,email,sms,phone,agents\nu1,active,,sch1,student,zoe,,Zoe,Ng,,,,,\nu2,inactive,,sch1,student,kai,,Kai,Lee,,,,,\n",
        "classes.csv":
          "sourcedId,status,dateLastModified,title,grade,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedId,subjects\ncls1,,,Robins,04,,,homeroom,,sch1,,\n",
      }),
    );
    expect(summary.version).toBe("1.0");
    expect(sink.tombstones).toEqual([{ entity: "learner", sourceId: "u2" }]);
    expect(sink.problems.filter((problem) => problem.field === "status")).toEqual([]);
  });
});

describe("required columns (point 6)", () => {
  test("users.csv without familyName is one error at line 1 naming the column and what follows; no row repeats it", async () => {
    const { sink } = await read(
      set({
        "users.csv":
          "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,grades\nu1,,,true,sch1,student,zoe,Zoe,04\nt1,,,true,sch1,teacher,tom,Tom,\n",
      }),
    );
    expect(sink.learners).toEqual([]);
    expect(at(sink.problems, "users.csv")).toEqual([
      expect.objectContaining({
        severity: "error",
        line: 1,
        message: "has no familyName column, which OneRoster 1.1 needs: every user was dropped, and their enrollments with them",
      }),
    ]);
  });

  test("users.csv without grades keeps its learners and says they will have no year group", async () => {
    const { sink } = await read(
      set({
        "users.csv": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName\nu1,,,true,sch1,student,zoe,Zoe,Ng\n",
      }),
    );
    expect(sink.learners.map((learner) => [learner.sourceId, learner.yearGroup])).toEqual([["u1", undefined]]);
    expect(at(sink.problems, "users.csv")).toEqual([
      expect.objectContaining({ severity: "warning", line: 1, message: "has no grades column: learners will have no year group" }),
    ]);
  });

  test("several missing columns are one problem; an enrollments file without roles takes each user's own", async () => {
    const { sink } = await read(
      set({
        "classes.csv": "sourcedId,status,dateLastModified,title,schoolSourcedId\ncls1,,,Robins,sch1\n",
        "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,userSourcedId\ne1,,,cls1,u1\ne2,,,cls1,t1\n",
      }),
    );
    expect(sink.classes[0]).toMatchObject({ kind: "subject_class", academicSessionSourceIds: [] });
    expect(at(sink.problems, "classes.csv")).toEqual([
      expect.objectContaining({
        severity: "warning",
        line: 1,
        message:
          "has no classType, termSourcedIds and courseSourcedId columns, which OneRoster 1.1 needs: without classType, every class was read as a subject class (none as a homeroom); without termSourcedIds, classes have no terms; without courseSourcedId, classes have no course names",
      }),
    ]);
    expect(sink.enrolments.map((enrolment) => [enrolment.personSourceId, enrolment.role])).toEqual([
      ["u1", "learner"],
      ["t1", "educator"],
    ]);
    expect(at(sink.problems, "enrollments.csv")).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining("each enrollment was read with its user's own role") }),
    ]);
  });
});

describe("headers with trailing empty cells (point 9)", () => {
  test("one warning for the header; rows as wide as the header are read without one", async () => {
    const { sink } = await read(
      set({ "users.csv": `${H.users},,,\n${user("u1", "Zoe", "Ng")},,,\n${user("u2", "Kai", "Lee")}\n${user("u3", "Al", "Bo")},,,,\n` }),
    );
    expect(sink.learners.map((learner) => learner.sourceId)).toEqual(["u1", "u2", "u3"]);
    expect(at(sink.problems, "users.csv")).toEqual([
      expect.objectContaining({
        line: 1,
        message: "the header ends with 3 empty cells (columns 19 to 21), from trailing commas; they were ignored, with any values under them",
      }),
      expect.objectContaining({ line: 4, message: "has 22 values but the header has 21 columns (a trailing comma); the empty extra value was ignored" }),
    ]);
  });
});
