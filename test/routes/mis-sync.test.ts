/**
 * School > MIS user sync (issue 20, points 1 and 2) against the demo UK school: last year
 * synced, the wizard chooses the new year's registration groups, subject classes and pupils,
 * reviews (a preview of the generator's truth), and saves: joiners arrive, everyone else moves a
 * year up, last year's classes end with their memberships kept, and leavers go to the archive
 * without access. The Sync Now rule never blocks the wizard.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { saveConnection } from "../../src/connections/details.ts";
import { queryRows } from "../../src/db/client.ts";
import { learners, syncRuns, syncSettings } from "../../src/db/schema/index.ts";
import { UK_DEMO_SCHOOL, ukDemoTruth, ukSchoolYear } from "../../src/demo/uk/school.ts";
import { createDemoWonde, UK_DEMO_APP_TOKEN, UK_DEMO_MOUNT } from "../../src/demo/uk/wonde.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, formFieldsOf, formPost, get, signInAs, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { serve } from "../helpers/collect.ts";
import { makeDistrict } from "../helpers/sync-harness.ts";
import { districtZip } from "../helpers/district-zip.ts";

const server = serve(new Hono().route(UK_DEMO_MOUNT, createDemoWonde()).fetch);
const yearUrl = (year: 2026 | 2027) => `${server.url}${UK_DEMO_MOUNT}/${year}/v1.0`;
let app: TestApp;
let org: { orgId: string; cookie: string };

beforeAll(async () => {
  app = await createTestApp({ WONDE_APP_TOKEN: UK_DEMO_APP_TOKEN, WONDE_API_URL: yearUrl(2027) });
  const created = await createOrgWithUser(app, { name: "Oakfield Academy" });
  await app.database.db.execute(sql`update organizations set country = 'GB', time_zone = 'Europe/London' where id = ${created.orgId}`);
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "wonde", schoolId: UK_DEMO_SCHOOL.id },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
  // A GB organization syncs every year group (the wizard narrows it); this one was made as a US one and then moved.
  await app.database.db
    .update(syncSettings)
    .set({ autoCarryover: true, scope: { kind: "grades", grades: [...GRADE_CODES] } })
    .where(eq(syncSettings.orgId, org.orgId));
  // Last year, synced as it was then.
  const lastYear = createSyncDeps({
    database: app.database,
    config: { ...app.deps.config, vendors: { wonde: { token: UK_DEMO_APP_TOKEN, apiUrl: yearUrl(2026) } } },
    logger: silentLogger,
    appUrl: TEST_ORIGIN,
  });
  expect((await syncOrganization(lastYear, { orgId: org.orgId, trigger: "sync_now" })).status).toBe("succeeded");
}, 120_000);
afterAll(async () => {
  await app.close();
  server.stop();
});

/** A wizard step's form, as the page sends it: each ticked box one field. */
const post = (path: string, fields: [string, string][]) => formPost(app, path, fields, { cookie: org.cookie });
const ticked = (html: string, name: string) => [...html.matchAll(new RegExp(`name="${name}" value="([^"]+)" checked`, "g"))].map((match) => match[1]!);

describe("the MIS user sync", () => {
  const made = ukSchoolYear(2027);
  const truth = ukDemoTruth();
  let previewId: string;

  test("registration groups, then subject classes, then pupils, in the help text's words, every new group ticked", async () => {
    const groupsPage = await (await get(app, "/school/mis-sync", org.cookie)).text();
    expect(groupsPage).toContain("step 1 of 4, Registration groups");
    expect(groupsPage).toContain("Save registration group names and proceed");
    const groups = ticked(groupsPage, "registrationGroups");
    expect(groups).toHaveLength(made.registrationGroups.length);

    const classesPage = await (await post("/school/mis-sync", [["step", "groups"], ["go", "next"], ...formFieldsOf(groupsPage)])).text();
    expect(classesPage).toContain("step 2 of 4, Subject classes");
    expect(ticked(classesPage, "subjectClasses")).toHaveLength(made.classes.length);

    const pupilsPage = await (await post("/school/mis-sync", [["step", "classes"], ["go", "next"], ...formFieldsOf(classesPage)])).text();
    expect(pupilsPage).toContain("step 3 of 4, Pupils");
    expect(pupilsPage).toContain(`Select all pupils (${made.pupils.length})`);
    expect(pupilsPage).toContain("Year 7");
    const chosen = formFieldsOf(pupilsPage).filter(([name]) => name !== "pupils");

    const review = await post("/school/mis-sync", [["step", "pupils"], ["go", "review"], ["pupils", "all"], ...chosen]);
    expect(review.status).toBe(303);
    previewId = /\/sync\/runs\/([0-9a-f-]{36})/.exec(review.headers.get("location") ?? "")![1]!;
    await app.deps.sync.idle();
  }, 60_000);

  test("the review is the generator's truth, and changes nothing; the Sync Now rule does not block it", async () => {
    const [run] = await app.database.db.select().from(syncRuns).where(eq(syncRuns.id, previewId));
    expect(run).toMatchObject({ trigger: "wizard", dryRun: true, status: "planned" });
    expect(run!.counts!.learners).toMatchObject({ New: truth.joiners.length, Desynced: truth.leavers.length, Matched: 1, Synced: truth.promoted.length - 1 });
    const page = await (await get(app, `/sync/runs/${previewId}`, org.cookie)).text();
    expect(page).toMatch(/<button type="submit">Save and sync pupils<\/button>/);
    expect(page).toContain("Year 10 → Year 11");
    // Their classes move with them, last year's on the left and this year's on the right, in a UK school's words.
    expect(page).toContain("Year group: Year 10 → Year 11");
    expect(page).toMatch(/Classes: [^<→]*\b10[A-Z]\b[^<→]*→ [^<]*\b11[A-Z]\b/);
    // Last year's classes end when the wizard saves, so none is on the right.
    expect(page).not.toMatch(/Classes: [^<]*→ [^<]*\b10(x\/|[A-Z]\b)/);
    expect(page).not.toContain("Year group as the school writes it: Year 10 → Year 11");
  });

  test("save and sync: joiners arrive, last year's classes end, leavers are archived without access, promoted pupils are in no class of last year", async () => {
    const response = await post(`/school/mis-sync/runs/${previewId}/save`, []);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Pupils are synced");
    expect(html).toMatch(/Last year \(\d{4}\/\d{2}\) has ended: \d+ of its classes and \d+ leavers moved to the archive/);
    const active = await app.database.db
      .select()
      .from(learners)
      .where(and(eq(learners.orgId, org.orgId), eq(learners.status, "active")));
    expect(active).toHaveLength(made.pupils.length);
    const archived = await app.database.db
      .select()
      .from(learners)
      .where(and(eq(learners.orgId, org.orgId), eq(learners.status, "archived")));
    expect(archived).toHaveLength(truth.leavers.length);
    expect(archived.every((learner) => !learner.hasAccess)).toBe(true);
    // "Sync pupil email addresses" was not chosen: the school's system has joiners' addresses, and none was added.
    const joiners = new Set(truth.joiners.map((admission) => String(admission)));
    expect(made.pupils.filter((pupil) => joiners.has(String(pupil.admissionNumber)) && pupil.email).length).toBeGreaterThan(0);
    const run = (await app.database.db.select().from(syncRuns).where(eq(syncRuns.id, previewId)))[0]!;
    expect(active.filter((learner) => learner.createdAt > run.createdAt && learner.email !== null)).toEqual([]);
    // Every class an active pupil is in now is one of the new year's (linked to its read): none of last year's is current.
    const inLastYear = await queryRows<{ n: number }>(
      app.database.db,
      sql`select count(*)::int as n from enrolments e join classes c on c.id = e.class_id join learners l on l.id = e.learner_id
          where e.org_id = ${org.orgId} and l.status = 'active' and c.status = 'active'
            and not exists (select 1 from source_links sl where sl.entity = 'class' and sl.entity_id = c.id)`,
    );
    expect(inLastYear[0]!.n).toBe(0);
    // Last year's memberships are kept, for history, with their classes in the archive.
    const kept = await queryRows<{ n: number }>(
      app.database.db,
      sql`select count(*)::int as n from enrolments e join classes c on c.id = e.class_id where e.org_id = ${org.orgId} and c.status = 'archived'`,
    );
    expect(kept[0]!.n).toBeGreaterThan(0);
  }, 60_000);

  test("synced students show the chain-link, in a GB organization's words", async () => {
    const html = await (await get(app, "/learners", org.cookie)).text();
    expect(html).toContain("<h1>Students</h1>");
    expect(html).toContain('aria-label="Linked to your school&#39;s system"');
    expect(html).toContain("Year 11");
    expect(html).toContain("MIS user sync");
    const none = await (await get(app, "/learners?q=zzzz", org.cookie)).text();
    expect(none).toContain("No students match “zzzz” with these filters.");
    const review = await (await get(app, "/review", org.cookie)).text();
    expect(review).toContain("When a sync finds a student who may already be in Rollcall");
    expect(review.replace(/<[^>]*>/g, " ")).not.toMatch(/\blearners?\b/i);
  });

  test("the grade pickers say year groups in a GB organization", async () => {
    // One the wizard has not narrowed yet, so its settings still pick year groups.
    const school = await createOrgWithUser(app, { name: "Elm Primary" });
    await app.database.db.execute(sql`update organizations set country = 'GB' where id = ${school.orgId}`);
    const settings = await (await get(app, "/settings/sync", await signInAs(app, school.email))).text();
    expect(settings).toContain("Year groups");
    expect(settings).toContain("Classes of these year groups are synced");
    expect(settings).toContain(">Reception<");
    expect(settings).not.toContain(">Kindergarten<");
    const classes = await (await get(app, "/classes", org.cookie)).text();
    expect(classes).toContain(">Year group<");
  });
});

describe("the MIS user sync over a OneRoster zip", () => {
  test("the same wizard reads the file's classes and pupils, reviews and saves them", async () => {
    const school = await createOrgWithUser(app, { name: "Brook Lane Primary" });
    await app.database.db.execute(sql`update organizations set country = 'GB' where id = ${school.orgId}`);
    const cookie = await signInAs(app, school.email);
    await saveConnection(app.database.db, {
      orgId: school.orgId,
      details: { source: "oneroster", kind: "file", path: await districtZip(makeDistrict(40)) },
      secret: null,
      encryptionKey: app.deps.config.encryptionKey,
    });
    const send = (path: string, fields: [string, string][]) => formPost(app, path, fields, { cookie });
    const first = await (await get(app, "/school/mis-sync", cookie)).text();
    expect(first).toContain("step 1 of 4, Registration groups");
    // The file's classes are subject classes; a registration group is still asked for, so one is ticked from the classes step on.
    const classes = await (
      await send("/school/mis-sync", [["step", "groups"], ["go", "next"], ["registrationGroups", "none-in-this-file"], ...formFieldsOf(first)])
    ).text();
    expect(ticked(classes, "subjectClasses")).toHaveLength(12);
    const review = await send("/school/mis-sync", [
      ["step", "pupils"],
      ["go", "review"],
      ["pupils", "all"],
      ...formFieldsOf(classes).filter(([name]) => name !== "pupils"),
    ]);
    expect(review.status).toBe(303);
    await app.deps.sync.idle();
    const runId = /\/sync\/runs\/([0-9a-f-]{36})/.exec(review.headers.get("location") ?? "")![1]!;
    const saved = await send(`/school/mis-sync/runs/${runId}/save`, []);
    expect(await saved.text()).toContain("Pupils are synced: 40 new");
    expect(
      await app.database.db
        .select()
        .from(learners)
        .where(and(eq(learners.orgId, school.orgId), eq(learners.status, "active"))),
    ).toHaveLength(40);
  }, 60_000);
});
