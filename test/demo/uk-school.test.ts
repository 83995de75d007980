/**
 * The demo UK school (issue 20, point 7): its Wonde API answers in the shapes of Wonde's
 * recorded payloads, the Wonde reader finds what the generator made in each year, and a sync
 * of the new year over last year's finds the generator's truth: joiners New, leavers Desynced,
 * everyone else a year up, and the pupil re-registered under a new MIS record re-linked by UPN.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { saveConnection } from "../../src/connections/details.ts";
import { queryRows } from "../../src/db/client.ts";
import { syncSettings } from "../../src/db/schema/index.ts";
import { UK_DEMO_SCHOOL, ukDemoTruth, ukSchoolYear } from "../../src/demo/uk/school.ts";
import { createDemoWonde, UK_DEMO_APP_TOKEN, UK_DEMO_MOUNT, ukDemoApiUrl } from "../../src/demo/uk/wonde.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { ensureProducts } from "../../src/products.ts";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { readWonde } from "../../src/sources/wonde/index.ts";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { executeRun, syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { undoRun } from "../../src/sync/run/undo.ts";
import { TEST_ORIGIN, testConfig } from "../helpers/app.ts";
import { CollectingSink, serve } from "../helpers/collect.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { sharedPath, skipWithoutShared } from "../helpers/shared.ts";

// Mounted as the app mounts it.
const server = serve(new Hono().route(UK_DEMO_MOUNT, createDemoWonde()).fetch);
afterAll(() => server.stop());
const base = `${server.url}${UK_DEMO_MOUNT}`;
const get = async (path: string) =>
  (await (await fetch(`${ukDemoApiUrl(server.url, 2027)}${path}`, { headers: { Authorization: `Bearer ${UK_DEMO_APP_TOKEN}` } })).json()) as {
    data: Record<string, unknown> & Record<string, unknown>[];
  };

describe.skipIf(skipWithoutShared("the Wonde payloads"))("the demo Wonde answers in Wonde's shapes", () => {
  const recorded = (name: string) => JSON.parse(readFileSync(sharedPath("fixtures/wonde", name), "utf8")) as { data: Record<string, unknown> };

  test("the school object has the recorded one's fields, its region pointing at the demo", async () => {
    const school = (await get(`/schools/${UK_DEMO_SCHOOL.id}`)).data;
    for (const key of ["id", "name", "establishment_number", "urn", "la_code", "phase_of_education", "region"]) expect(Object.keys(school)).toContain(key);
    expect(Object.keys(recorded("wonde_school_get.json").data)).toEqual(expect.arrayContaining(Object.keys(school)));
    expect((school.region as { school_url: string }).school_url).toBe(`${ukDemoApiUrl(server.url, 2027)}/schools/${UK_DEMO_SCHOOL.id}`);
  });

  test("students come with includes wrapped as the recorded class's students are, only when asked for", async () => {
    const recordedStudent = (recorded("wonde_class_with_students_trimmed.json").data as { students: { data: Record<string, unknown>[] } }).students.data[0]!;
    const bare = (await get(`/schools/${UK_DEMO_SCHOOL.id}/students?per_page=1`)).data[0]!;
    for (const key of ["id", "upi", "mis_id", "forename", "surname", "date_of_birth"]) {
      expect(Object.keys(recordedStudent)).toContain(key);
      expect(Object.keys(bare)).toContain(key);
    }
    expect(bare.education_details).toBeUndefined();
    const full = (await get(`/schools/${UK_DEMO_SCHOOL.id}/students?per_page=1&include=education_details,year,registration,classes`)).data[0]!;
    expect((full.education_details as { data: { upn: string } }).data.upn).toMatch(/^[A-Z]\d{11}[0-9A-Z]$/);
    expect((full.classes as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect(full.date_of_birth).toMatchObject({ timezone_type: 3, timezone: "Europe/London" });
  });

  test("employees' classes carry the recorded per-class meta", async () => {
    const recordedEmployee = (recorded("wonde_employees_with_classes_trimmed.json").data as unknown as Record<string, unknown>[])[0]!;
    const recordedMeta = Object.keys((recordedEmployee.classes as { data: { meta: object }[] }).data[0]!.meta);
    const employee = (await get(`/schools/${UK_DEMO_SCHOOL.id}/employees?per_page=1&include=classes`)).data[0]!;
    const meta = (employee.classes as { data: { meta: object }[] }).data[0]!.meta;
    expect(recordedMeta).toEqual(expect.arrayContaining(Object.keys(meta)));
  });
});

describe("the Wonde reader over the demo school", () => {
  for (const year of [2026, 2027] as const) {
    test(`${year - 1}/${String(year).slice(2)}: every pupil, registration group, class and teacher the generator made`, async () => {
      const made = ukSchoolYear(year);
      const sink = new CollectingSink();
      await readWonde({ schoolId: UK_DEMO_SCHOOL.id, token: UK_DEMO_APP_TOKEN, baseUrl: `${base}/${year}/v1.0` }, sink);
      expect(sink.problems).toEqual([]);
      expect(sink.learners).toHaveLength(made.pupils.length);
      expect(sink.classes).toHaveLength(made.classes.length + made.registrationGroups.length);
      expect(sink.educators).toHaveLength(made.staff.length);
      const yearSeven = sink.learners.filter((learner) => learner.yearGroup?.code === "7");
      expect(yearSeven).toHaveLength(made.pupils.filter((pupil) => pupil.year === 7).length);
      expect(sink.learners.every((learner) => learner.upn)).toBe(true);
    });
  }
});

describe("a sync of the new year over last year's", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await ensureProducts(database.db);
  });
  afterAll(() => database.close());

  test("finds the generator's truth: joiners New, leavers Desynced (held for review), the rest a year up", async () => {
    const truth = ukDemoTruth();
    const org = await createOrganization(
      database.db,
      { name: "Oakfield", adminEmail: "access@oakfield.test", licences: ["reading"], country: "GB" },
      TEST_ORIGIN,
    );
    const config = testConfig();
    await saveConnection(database.db, {
      orgId: org.id,
      details: { source: "wonde", schoolId: UK_DEMO_SCHOOL.id },
      secret: null,
      encryptionKey: config.encryptionKey,
    });
    await database.db
      .update(syncSettings)
      .set({ scope: { kind: "grades", grades: [...GRADE_CODES] } })
      .where(eq(syncSettings.orgId, org.id));
    const depsFor = (year: 2026 | 2027) =>
      createSyncDeps({
        database,
        config: { ...config, vendors: { wonde: { token: UK_DEMO_APP_TOKEN, apiUrl: `${base}/${year}/v1.0` } } },
        logger: silentLogger,
        appUrl: TEST_ORIGIN,
      });

    const lastYear = await syncOrganization(depsFor(2026), { orgId: org.id, trigger: "cli" });
    expect(lastYear.status).toBe("succeeded");
    expect(lastYear.counts!.learners.New).toBe(ukSchoolYear(2026).pupils.length);

    const newYear = await syncOrganization(depsFor(2027), { orgId: org.id, trigger: "cli" });
    // A fifth of the school leaving is more than the hold allows without an admin's look.
    expect(newYear.status).toBe("held");
    expect(newYear.counts!.learners).toMatchObject({
      New: truth.joiners.length,
      Desynced: truth.leavers.length,
      Matched: 1,
      Synced: truth.promoted.length - 1,
      "May match": 0,
    });
    const approved = await executeRun(depsFor(2027), newYear.runId, { approved: true });
    expect(approved.status).toBe("succeeded");

    const learner = async (admission: string) =>
      (await queryRows<{ upn: string; former_upns: string[] | null; year: string }>(
        database.db,
        sql`select l.upn, l.former_upns, yg.code as year from learners l left join year_groups yg on yg.id = l.year_group_id where l.org_id = ${org.id} and l.student_number = ${admission}`,
      ))!;
    const renewed = await learner(truth.newRecordSameChild);
    expect(renewed).toHaveLength(1);
    expect(renewed[0]!.former_upns).toHaveLength(1);
    expect(renewed[0]!.year).toBe("9");
    const [twinA, twinB] = await Promise.all(truth.twins.map(learner));
    expect(twinA).toHaveLength(1);
    expect(twinB).toHaveLength(1);
    expect(await learner(truth.arrived)).toHaveLength(1);

    // Undone, the re-registered pupil is linked by their earlier record again, and only by it.
    const links = async () =>
      (
        await queryRows<{ source_id: string }>(
          database.db,
          sql`select sl.source_id from source_links sl join learners l on l.id = sl.entity_id where l.org_id = ${org.id} and l.student_number = ${truth.newRecordSameChild}`,
        )
      ).map((row) => row.source_id);
    const before = ukSchoolYear(2026).pupils.find((pupil) => pupil.admissionNumber === truth.newRecordSameChild)!.id;
    const after = ukSchoolYear(2027).pupils.find((pupil) => pupil.admissionNumber === truth.newRecordSameChild)!.id;
    expect(await links()).toEqual([after]);
    await undoRun(depsFor(2027), { orgId: org.id, runId: newYear.runId, userId: null });
    expect(await links()).toEqual([before]);
  });
});
