/**
 * Issue 17 point 12, the export: an organization synced from a generated roster is exported as
 * a OneRoster 1.1 zip, which reads back through Rollcall's own reader as the roster the
 * database holds: the same counts, and each learner, class, educator and place the same.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { exportRoster } from "../../src/lifecycle/export.ts";
import { cedsCode } from "../../src/roster/normalise/index.ts";
import type { GradeCode, SnapshotLearner } from "../../src/roster/snapshot.ts";
import { DEFAULT_ZIP_LIMITS, openZipFiles } from "../../src/sources/oneroster/files.ts";
import { readOneRosterZip } from "../../src/sources/oneroster/index.ts";
import { CollectingSink } from "../helpers/collect.ts";
import { createSyncHarness, removeLearners, type SyncHarness } from "../helpers/sync-harness.ts";

let harness: SyncHarness;
let zipPath: string;
let read: CollectingSink;

/** A generated roster with the awkward values a real one has. */
function enrich(h: SyncHarness): void {
  const [bea, formula, year7, bare] = h.district.learners as [SnapshotLearner, SnapshotLearner, SnapshotLearner, SnapshotLearner];
  Object.assign(bea, {
    preferredGivenName: "Bea",
    middleName: "Rose",
    upn: "A123456789012",
    formerUpns: ["B123456789012"],
    stateId: "ST-0",
    username: "bea0",
    gender: "unknown",
    demographics: { ethnicity: ["Asian", "White"], hispanicOrLatino: false },
  });
  // A value a spreadsheet would take for a formula, commas and quotes: kept exactly.
  Object.assign(formula, { givenName: 'Zoë, "Jo"', familyName: "=SUM(A1)", email: "zoe+jo@district.test", demographics: { hispanicOrLatino: true } });
  year7.yearGroup = { code: "7", label: "Year 7" };
  Object.assign(bare, { dateOfBirth: undefined, gender: undefined, email: undefined, studentNumber: undefined });
  // Connectors lower-case addresses; the harness hands records over as they are.
  for (const educator of h.district.educators) educator.email = educator.email?.toLowerCase();
  const [homeroom, maths] = h.district.classes;
  homeroom!.kind = "registration_group";
  Object.assign(maths!, { courseName: "Mathematics", subject: "Maths", period: "3" });
}

beforeAll(async () => {
  harness = await createSyncHarness({ learners: 40 });
  enrich(harness);
  await harness.settings({ allowRemoval: true, removalMode: "deactivate" });
  expect((await harness.sync()).status).toBe("succeeded");
  // One leaver deactivated (still in the export, turned off), one removed (not in it).
  removeLearners(harness.district, new Set(["stu-4"]));
  expect((await harness.sync()).status).toBe("succeeded");
  await harness.settings({ removalMode: "remove" });
  removeLearners(harness.district, new Set(["stu-5"]));
  expect((await harness.sync()).status).toBe("succeeded");

  const { zip } = await exportRoster(harness.database, { orgId: harness.orgId, actor: { kind: "operator" } });
  zipPath = join(mkdtempSync(join(tmpdir(), "rollcall-export-")), "roster.zip");
  await Bun.write(zipPath, new Response(zip as unknown as ReadableStream));
  read = new CollectingSink();
  await readOneRosterZip(zipPath, read);
}, 60_000);
afterAll(() => harness.close());

const rows = <Row>(query: string) => queryRows<Row>(harness.database.db, sql.raw(query.replaceAll("$org", `'${harness.orgId}'`)));
const orUndefined = <T>(value: T | null) => value ?? undefined;
const byId = <T extends { sourceId: string }>(records: T[]) => new Map(records.map((record) => [record.sourceId, record]));

test("the zip reads back without a problem, with the counts the database holds", async () => {
  expect(read.problems).toEqual([]);
  const [counts] = await rows<Record<string, number>>(`select
    (select count(*)::int from schools where org_id = $org and status in ('active', 'inactive')) as schools,
    (select count(*)::int from academic_sessions where org_id = $org and status in ('active', 'inactive')) as "academicSessions",
    (select count(*)::int from classes where org_id = $org and status in ('active', 'inactive')) as classes,
    (select count(*)::int from learners where org_id = $org and status in ('active', 'inactive')) as learners,
    (select count(*)::int from educators where org_id = $org and status in ('active', 'inactive')) as educators,
    (select (select count(*) from enrolments where org_id = $org) + (select count(*) from class_educators where org_id = $org))::int as enrolments,
    (select count(*)::int from learners where org_id = $org and status = 'removed') as removed`);
  expect(counts).toMatchObject({ schools: 2, academicSessions: 1, classes: 12, learners: 39, educators: 12, removed: 1 });
  expect({
    schools: read.schools.length,
    academicSessions: read.academicSessions.length,
    classes: read.classes.length,
    learners: read.learners.length,
    educators: read.educators.length,
    enrolments: read.enrolments.length,
  }).toEqual({ ...counts!, removed: undefined } as never);
});

test("each learner reads back with the fields the database holds", async () => {
  const stored = await rows<Record<string, unknown> & { id: string; demographics: { ethnicity?: string[]; hispanicOrLatino?: boolean } | null }>(
    `select x.id, x.school_id, x.given_name, x.family_name, x.middle_name, x.preferred_given_name, x.preferred_family_name, x.date_of_birth::text,
            x.gender, y.code as year_group_code, x.email, x.username, x.student_number, x.demographics, x.status, x.enabled_in_source
     from learners x left join year_groups y on y.id = x.year_group_id where x.org_id = $org and x.status in ('active', 'inactive') order by x.id`,
  );
  const back = byId(read.learners);
  expect(stored.length).toBe(39);
  for (const row of stored) {
    const learner = back.get(row.id);
    expect(learner).toBeDefined();
    const expected = {
      schoolSourceIds: [row.school_id],
      givenName: row.given_name,
      familyName: row.family_name,
      middleName: orUndefined(row.middle_name),
      preferredGivenName: orUndefined(row.preferred_given_name),
      preferredFamilyName: orUndefined(row.preferred_family_name),
      dateOfBirth: orUndefined(row.date_of_birth),
      gender: orUndefined(row.gender),
      // Grades are written as OneRoster's codes, so they read back without a warning, labelled with the code.
      yearGroup: row.year_group_code ? { code: row.year_group_code, label: cedsCode(row.year_group_code as GradeCode) } : undefined,
      email: orUndefined(row.email),
      username: orUndefined(row.username),
      studentNumber: orUndefined(row.student_number),
      demographics: row.demographics ? { ethnicity: row.demographics.ethnicity ?? [], hispanicOrLatino: row.demographics.hispanicOrLatino } : undefined,
      ...(row.status === "inactive" || row.enabled_in_source === false ? { enabled: false } : {}),
    };
    const { sourceId: _id, ...actual } = learner!;
    expect({ id: row.id, ...actual }).toEqual({ id: row.id, ...expected } as never);
  }
  // The awkward ones, spelled out.
  const formula = read.learners.find((learner) => learner.familyName === "=SUM(A1)");
  expect(formula).toMatchObject({ givenName: 'Zoë, "Jo"', email: "zoe+jo@district.test", demographics: { ethnicity: [], hispanicOrLatino: true } });
  expect(read.learners.find((learner) => learner.preferredGivenName === "Bea")).toMatchObject({
    middleName: "Rose",
    gender: "unknown",
    username: "bea0",
    demographics: { ethnicity: ["Asian", "White"], hispanicOrLatino: false },
  });
  expect(read.learners.filter((learner) => learner.yearGroup?.code === "7").map((learner) => learner.yearGroup?.label)).toContain("07");
});

test("identifiers the reader does not take and turned-off accounts are in users.csv", async () => {
  const files = await openZipFiles(zipPath, DEFAULT_ZIP_LIMITS);
  const users = await new Response((await files.open("users.csv")) as unknown as ReadableStream).text();
  files.close();
  const [bea] = await rows<{ id: string }>(`select id from learners where org_id = $org and upn = 'A123456789012'`);
  const [leaver] = await rows<{ id: string }>(`select x.id from learners x where x.org_id = $org and x.status = 'inactive'`);
  const lineOf = (id: string) => users.split("\n").find((line) => line.startsWith(`${id},`))!;
  expect(lineOf(bea!.id)).toContain('"{UPN:A123456789012},{formerUPN:B123456789012},{stateID:ST-0}"');
  expect(lineOf(bea!.id).split(",")[3]).toBe("true");
  expect(lineOf(leaver!.id).split(",")[3]).toBe("false");
  // Values are written as they are: no quote put in front of a formula-looking name.
  expect(users).toContain(",=SUM(A1),");
});

test("classes, educators, schools and places read back as stored", async () => {
  const classes = await rows<{
    id: string;
    school_id: string;
    kind: string;
    name: string;
    subject: string | null;
    course_name: string | null;
    period: string | null;
    grade_codes: string[];
    academic_session_id: string | null;
  }>(`select id, school_id, kind, name, subject, course_name, period, grade_codes, academic_session_id from classes where org_id = $org order by id`);
  const back = byId(read.classes);
  for (const row of classes) {
    expect(back.get(row.id)).toEqual({
      sourceId: row.id,
      schoolSourceId: row.school_id,
      kind: row.kind as never,
      name: row.name,
      subject: orUndefined(row.subject),
      courseName: orUndefined(row.course_name),
      yearGroups: row.grade_codes.map((code) => expect.objectContaining({ code })),
      academicSessionSourceIds: row.academic_session_id ? [row.academic_session_id] : [],
      period: orUndefined(row.period),
    });
  }
  expect(read.classes.filter((klass) => klass.courseName === "Mathematics" && klass.subject === "Maths").length).toBe(1);
  const educators = await rows<{ id: string; given_name: string; family_name: string; email: string | null; school_id: string }>(
    `select id, given_name, family_name, email, school_id from educators where org_id = $org`,
  );
  const educatorsBack = byId(read.educators);
  for (const row of educators)
    expect(educatorsBack.get(row.id)).toMatchObject({
      givenName: row.given_name,
      familyName: row.family_name,
      email: orUndefined(row.email),
      schoolSourceIds: [row.school_id],
    });
  const schools = await rows<{ id: string; name: string; school_number: string }>(`select id, name, school_number from schools where org_id = $org`);
  expect(read.schools.map((school) => [school.sourceId, school.name, school.schoolNumber]).sort()).toEqual(
    schools.map((school) => [school.id, school.name, school.school_number]).sort(),
  );
  const places = await rows<{ place: string }>(
    `select class_id || ' ' || learner_id || ' learner' as place from enrolments where org_id = $org
     union all select class_id || ' ' || educator_id || ' educator' from class_educators where org_id = $org`,
  );
  expect(read.enrolments.map((place) => `${place.classSourceId} ${place.personSourceId} ${place.role}`).sort()).toEqual(places.map((row) => row.place).sort());
});

test("the export is in the audit log with its counts only", async () => {
  const entries = await rows<{ actor: string; detail: Record<string, number> }>(
    `select actor, detail from audit_log where org_id = $org and action = 'roster.exported'`,
  );
  expect(entries).toEqual([
    { actor: "operator", detail: { schools: 2, academicSessions: 1, classes: 12, learners: 39, educators: 12, enrolments: read.enrolments.length } },
  ]);
});
