/**
 * Messages and data agree (issue 16, point 10): a set with one of every defect the reader
 * reports is read, and each problem's stated consequence ("dropped", "kept without its
 * parent", "ignored", "read as") is checked against what the snapshot holds. A problem whose
 * words match no known claim fails the test, so a new kind of problem must say how to check it.
 */
import { expect, test } from "bun:test";
import type { Problem } from "../../../src/roster/snapshot.ts";
import { readOneRosterZip } from "../../../src/sources/oneroster/index.ts";
import { CollectingSink } from "../../helpers/collect.ts";
import { zipFiles } from "../../helpers/oneroster.ts";

type Rows = Record<string, string>[];

const FILES: Record<string, { header: string[]; rows: Rows; raw?: string[] }> = {
  "manifest.csv": {
    header: ["propertyName", "value"],
    rows: [
      { propertyName: "manifest.version", value: "1.0" },
      { propertyName: "oneroster.version", value: "1.1" },
      ...["orgs", "academicSessions", "courses", "classes", "users", "enrollments", "demographics"].map((file) => ({
        propertyName: `file.${file}`,
        value: file === "courses" ? "Bulk" : "bulk",
      })),
      { propertyName: "file.nonsense", value: "bulk" },
    ],
  },
  "orgs.csv": {
    header: ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
    rows: [
      { sourcedId: "sch1", name: "North School", type: "school", parentSourcedId: "dist-missing" },
      { sourcedId: "sch2", name: "", type: "School" },
      { sourcedId: "dept1", name: "Science", type: "department" },
      { sourcedId: "sch1", name: "North again", type: "school" },
    ],
  },
  "academicSessions.csv": {
    header: ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"],
    rows: [
      { sourcedId: "y1", title: "2024", type: "schoolYear", startDate: "8/27/2024", endDate: "6/14/2025", schoolYear: "2025" },
      { sourcedId: "t1", title: "Fall", type: "Term", startDate: "9/03/2024", endDate: "someday", parentSourcedId: "y-missing", schoolYear: "25" },
    ],
  },
  "courses.csv": {
    header: ["sourcedId", "status", "dateLastModified", "title", "orgSourcedId"],
    rows: [{ sourcedId: "crs1", title: "English", orgSourcedId: "sch1" }],
  },
  "classes.csv": {
    header: ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"],
    rows: [
      {
        sourcedId: "cls1",
        title: "Robins",
        grades: "04,Year 5,Form X",
        courseSourcedId: "crs-missing",
        classType: "Homeroom",
        schoolSourcedId: "sch1",
        termSourcedIds: "t1,t-missing",
      },
      { sourcedId: "cls2", title: "", schoolSourcedId: "sch1", classType: "scheduled" },
      { sourcedId: "cls3", title: "Lab", schoolSourcedId: "dept1", classType: "lecture" },
      { sourcedId: "cls4", title: "Nowhere", schoolSourcedId: "sch-missing", classType: "scheduled" },
      { sourcedId: "cls5", status: "tobedeleted", title: "Old", schoolSourcedId: "sch1", classType: "scheduled" },
    ],
  },
  "users.csv": {
    header: ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "givenName", "familyName", "email", "grades"],
    rows: [
      {
        sourcedId: "u1",
        enabledUser: "TRUE",
        orgSourcedIds: "sch1",
        role: "Student",
        givenName: "Zoe\u0000",
        familyName: "Ng",
        email: "not-an-email",
        grades: "Year 4",
      },
      { sourcedId: "u2", orgSourcedIds: "sch1", role: "student", givenName: "Kai", familyName: "", grades: "04" },
      { sourcedId: "u3", orgSourcedIds: "sch-missing", role: "student", givenName: "Al", familyName: "Bo", grades: "04" },
      { sourcedId: "u4", orgSourcedIds: "sch1", role: "", givenName: "Mo", familyName: "Li", grades: "04" },
      { sourcedId: "p1", orgSourcedIds: "sch1", role: "parent", givenName: "Pat", familyName: "Ng" },
      { sourcedId: "u5", status: "toBeDeleted", orgSourcedIds: "sch1", role: "student", givenName: "Ed", familyName: "Wu", grades: "04" },
      { sourcedId: "u6", status: "gone", orgSourcedIds: "sch1", role: "student", givenName: "Lu", familyName: "Ma", grades: "Form Z", enabledUser: "maybe" },
      { sourcedId: "u1", orgSourcedIds: "sch1", role: "student", givenName: "Zed", familyName: "Other", grades: "04" },
      { sourcedId: "", orgSourcedIds: "sch1", role: "student", givenName: "No", familyName: "Id", grades: "04" },
      { sourcedId: "t1", orgSourcedIds: "dept1", role: "teacher", givenName: "Tom", familyName: "Teach" },
      { sourcedId: "u7", orgSourcedIds: "sch1", role: "student", givenName: "Ann", familyName: "Lee", grades: "04" },
    ],
    raw: ["u8,,,,sch1,student,u8,Bea,Fox,,04,surplus", "u9,,,,sch1,student"],
  },
  "enrollments.csv": {
    header: ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary"],
    rows: [
      { sourcedId: "e1", classSourcedId: "cls1", userSourcedId: "u1", role: "student" },
      { sourcedId: "e2", classSourcedId: "cls2", userSourcedId: "u1", role: "student" },
      { sourcedId: "e3", classSourcedId: "cls1", userSourcedId: "u2", role: "student" },
      { sourcedId: "e4", classSourcedId: "cls1", userSourcedId: "p1", role: "student" },
      { sourcedId: "e5", classSourcedId: "cls1", userSourcedId: "nobody", role: "student" },
      { sourcedId: "e6", classSourcedId: "cls5", userSourcedId: "u7", role: "student" },
      { sourcedId: "e7", classSourcedId: "", userSourcedId: "u7", role: "student" },
      { sourcedId: "e8", classSourcedId: "cls1", userSourcedId: "t1", role: "student", primary: "yes" },
      { sourcedId: "e9", classSourcedId: "cls1", userSourcedId: "u7", role: "administrator" },
      { sourcedId: "e1", classSourcedId: "cls1", userSourcedId: "u7", role: "student" },
    ],
  },
  "demographics.csv": {
    header: ["sourcedId", "status", "dateLastModified", "birthDate", "sex", "asian"],
    rows: [
      { sourcedId: "u1", birthDate: "2015-02-30", sex: "Female", asian: "TRUE" },
      { sourcedId: "u7", birthDate: "3/04/2015", sex: "x", asian: "1" },
      { sourcedId: "", birthDate: "2015-01-01" },
    ],
  },
};

const csv = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

function files(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(FILES).map(([name, { header, rows, raw }]) => [
      name,
      `${[header.join(","), ...rows.map((row) => header.map((column) => csv(row[column] ?? "")).join(",")), ...(raw ?? [])].join("\n")}\n`,
    ]),
  );
}

/** The row a problem points at (line 2 is the first row; raw rows follow the others). */
function rowAt(problem: Problem): Record<string, string> | undefined {
  const file = FILES[problem.file ?? ""];
  const index = (problem.line ?? 0) - 2;
  if (!file || index < 0) return undefined;
  if (index < file.rows.length) return file.rows[index];
  const raw = file.raw?.[index - file.rows.length];
  return raw === undefined ? undefined : Object.fromEntries(raw.split(",").map((value, column) => [file.header[column] ?? `extra${column}`, value]));
}

test("every problem's stated consequence is what the snapshot holds", async () => {
  const sink = new CollectingSink();
  await readOneRosterZip(await zipFiles(files()), sink);
  const learner = (id: string) => sink.learners.find((record) => record.sourceId === id);
  const person = (id: string) => learner(id) ?? sink.educators.find((record) => record.sourceId === id);
  const klass = (id: string) => sink.classes.find((record) => record.sourceId === id);
  const session = (id: string) => sink.academicSessions.find((record) => record.sourceId === id);
  const enrolled = (row: Record<string, string>) =>
    sink.enrolments.some((place) => place.classSourceId === row.classSourcedId && place.personSourceId === row.userSourcedId);
  const idOf = (problem: Problem) => problem.sourceId ?? rowAt(problem)?.sourcedId ?? "";

  /** Each claim: the words that make it, and what must then hold. */
  const claims: [RegExp, (problem: Problem) => unknown][] = [
    [/the user was dropped, and their enrollments with them/, (p) => !person(idOf(p)) && !sink.enrolments.some((place) => place.personSourceId === idOf(p))],
    [/is empty; the user was dropped$/, (p) => !person(idOf(p))],
    [/the user was not imported/, (p) => !person(idOf(p))],
    [
      /is also the sourcedId of line (\d+), which was read; this row was dropped/,
      (p) => {
        const first = FILES[p.file!]!.rows[Number(/line (\d+)/.exec(p.message)![1]) - 2]!;
        if (p.file === "users.csv") return person(first.sourcedId!)?.givenName === first.givenName!.replace("\u0000", "");
        if (p.file === "orgs.csv")
          return (
            sink.schools
              .filter((school) => school.sourceId === first.sourcedId)
              .map((school) => school.name)
              .join() === first.name
          );
        if (p.file === "enrollments.csv") return !enrolled(rowAt(p)!) && enrolled(first);
        return false;
      },
    ],
    [/the class was dropped, and its enrollments with it/, (p) => !klass(idOf(p)) && !sink.enrolments.some((place) => place.classSourceId === idOf(p))],
    [/the enrollment was (dropped|not imported)|enrollments are not imported/, (p) => !enrolled(rowAt(p)!)],
    [/the session was kept without its parent/, (p) => session(idOf(p)) && session(idOf(p))!.parentSourceId === undefined],
    [/the class was kept without its course/, (p) => klass(idOf(p)) && klass(idOf(p))!.courseName === undefined],
    [/is not in academicSessions.csv; the class was kept/, (p) => klass(idOf(p)) && !klass(idOf(p))!.academicSessionSourceIds.includes("t-missing")],
    [/the org was kept without its parent/, (p) => sink.schools.some((school) => school.sourceId === idOf(p))],
    [/the org's sourcedId is used as its name/, (p) => sink.schools.some((school) => school.sourceId === idOf(p) && school.name === idOf(p))],
    [/it was read as a school/, () => sink.schools.some((school) => school.sourceId === "dept1")],
    [/is not an email address; it was left out/, (p) => person(idOf(p)) && person(idOf(p))!.email === undefined],
    [/the learner was kept without a grade/, (p) => learner(idOf(p)) && learner(idOf(p))!.yearGroup === undefined],
    [
      /has a grade that is not a known grade code|"Form X" is not a known grade code; it was ignored/,
      (p) => klass(idOf(p))?.yearGroups.every((group) => group.label !== "Form X"),
    ],
    [
      /grade codes .*it was read as (\S+)/,
      (p) => (p.file === "users.csv" ? learner(idOf(p))?.yearGroup?.label === "Year 4" : klass(idOf(p))?.yearGroups.some((group) => group.label === "Year 5")),
    ],
    [/control characters .* removed/, (p) => !/\u0000/.test(person(idOf(p))?.givenName ?? "")],
    [/the row was read as a deletion/, (p) => sink.tombstones.some((tombstone) => tombstone.sourceId === idOf(p)) && !person(idOf(p))],
    [/the row was read as active/, (p) => person(idOf(p))],
    [/"maybe" is not true or false; it was ignored/, (p) => learner(idOf(p))?.enabled === undefined],
    [/"yes" is not true or false; it was ignored/, () => sink.enrolments.some((place) => place.personSourceId === "t1" && place.primary === undefined)],
    [/"1" is not true or false; it was ignored/, (p) => learner(idOf(p))?.demographics === undefined],
    [
      /should be written true, in lower case; it was read as true/,
      (p) => (p.file === "demographics.csv" ? learner("u1")?.demographics?.ethnicity?.includes("Asian") : learner(idOf(p))),
    ],
    [/"Student" should be written "student".*it was read as student/, (p) => learner(idOf(p))],
    [/"Female" should be written "female".*read as female/, () => learner("u1")?.gender === "female"],
    [/"x" is not one of female, male/, () => learner("u7")?.gender === undefined],
    [/"School" should be written "school".*read as school/, () => sink.schools.some((school) => school.sourceId === "sch2")],
    [/"Term" should be written "term".*read as term/, (p) => session(idOf(p))?.type === "term"],
    [/"Homeroom" should be written "homeroom".*read as homeroom/, (p) => klass(idOf(p))?.kind === "registration_group"],
    [/"lecture" is not one of homeroom, scheduled/, (p) => klass(idOf(p))?.kind === "subject_class"],
    [
      /"toBeDeleted" should be written "tobedeleted".*the row was read as a deletion/,
      (p) => sink.tombstones.some((tombstone) => tombstone.sourceId === idOf(p)),
    ],
    [/"25" is not a year like 2024; it was ignored/, (p) => session(idOf(p))?.schoolYear === undefined],
    [/dates are written like .*they were read as month\/day\/year/, (p) => session(idOf(p))?.startDate === "2024-08-27"],
    [/"someday" is not a date like 2014-03-09; it was ignored/, (p) => session(idOf(p)) && session(idOf(p))!.endDate === undefined],
    [
      /could be day\/month\/year or month\/day\/year; most dates in this roster are month\/day\/year, so it was read that way/,
      (p) => (p.file === "academicSessions.csv" ? session(idOf(p))?.startDate === "2024-09-03" : learner(idOf(p))?.dateOfBirth === "2015-03-04"),
    ],
    [/"2015-02-30" is not a real date; it was ignored/, () => learner("u1") && learner("u1")!.dateOfBirth === undefined],
    [/has no user id; the row was dropped/, () => !sink.learners.some((record) => record.dateOfBirth === "2015-01-01")],
    [/has no sourcedId; the row was dropped/, () => !person("") && !sink.learners.some((record) => record.givenName === "No")],
    [/so it is not clear which value belongs to which column; the row was dropped/, () => !person("u8")],
    [
      /the missing values were read as empty/,
      (p) => person(idOf(p)) || sink.problems.some((other) => other.file === p.file && other.line === p.line && / was dropped/.test(other.message)),
    ],
    [
      /they were enrolled as a teacher/,
      (p) =>
        sink.enrolments.some(
          (place) => place.classSourceId === rowAt(p)!.classSourcedId && place.personSourceId === rowAt(p)!.userSourcedId && place.role === "educator",
        ),
    ],
    [
      /has a status or dateLastModified in a file the manifest calls bulk .*the row's status was used/,
      (p) => {
        const deleted = rowAt(p)!.status!.toLowerCase() === "tobedeleted";
        const present = p.file === "classes.csv" ? klass(idOf(p)) : person(idOf(p));
        return deleted ? !present && sink.tombstones.some((tombstone) => tombstone.sourceId === idOf(p)) : present;
      },
    ],
    [/"Bulk" should be written bulk.*read as bulk/, () => true],
    [/"file.nonsense" is not a OneRoster file/, () => true],
  ];

  const unchecked: string[] = [];
  const failed: string[] = [];
  for (const problem of sink.problems) {
    const found = claims.filter(([words]) => words.test(problem.message));
    if (!found.length) unchecked.push(`${problem.file}:${problem.line} ${problem.message}`);
    for (const [, holds] of found) if (!holds(problem)) failed.push(`${problem.file}:${problem.line} ${problem.message}`);
  }
  expect({ unchecked, failed }).toEqual({ unchecked: [], failed: [] });
  // The set does show the defects: one problem of each kind above at least.
  for (const [words] of claims)
    expect({ words: words.source, reported: sink.problems.some((problem) => words.test(problem.message)) }).toEqual({ words: words.source, reported: true });
});
