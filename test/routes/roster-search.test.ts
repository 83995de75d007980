/**
 * Finding learners and classes (issue 19, point 8): search by full name in any order, one name,
 * username or id; filters by school, year group, class, access and linked; an empty result says
 * so; a link past the end goes to the last page; the chain-link is an SVG with a name.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { classes, enrolments, learners, schools, sourceLinks, syncSettings } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, get, signInAs, type TestApp } from "../helpers/app.ts";
import { ALL_GRADES, makeDistrict } from "../helpers/sync-harness.ts";
import { districtZip } from "../helpers/district-zip.ts";
import { encodeKey } from "../../src/db/queries/keyset.ts";

let app: TestApp;
let org: { orgId: string; cookie: string };
let someone: typeof learners.$inferSelect;

beforeAll(async () => {
  app = await createTestApp();
  const created = await createOrgWithUser(app);
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await app.database.db.update(syncSettings).set({ scope: ALL_GRADES }).where(eq(syncSettings.orgId, org.orgId));
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "oneroster", kind: "file", path: await districtZip(makeDistrict(120)) },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
  expect((await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" })).status).toBe("succeeded");
  const [first] = await app.database.db.select().from(learners).where(eq(learners.orgId, org.orgId)).limit(1);
  someone = first!;
  await app.database.db.update(learners).set({ givenName: "Lily", familyName: "Chen", username: "lchen42" }).where(eq(learners.id, someone.id));
}, 60_000);
afterAll(() => app.close());

const page = async (path: string) => (await get(app, path, org.cookie)).text();
const countOn = (html: string) => Number(/<p>([\d,]+) (?:learners?|class(?:es)?)<\/p>/.exec(html)?.[1]?.replace(",", "") ?? Number.NaN);
/** A list key after every learner's (names sort before "~" here). */
const PAST_EVERY_NAME = encodeKey(["~", "~", "ffffffff-ffff-ffff-ffff-ffffffffffff"]);
const q = (text: string) => `/learners?q=${encodeURIComponent(text)}`;

describe("searching learners", () => {
  test("by full name in any order, one name, username, Rollcall id and source id", async () => {
    const [link] = await app.database.db.select().from(sourceLinks).where(eq(sourceLinks.entityId, someone.id));
    for (const search of ["Lily Chen", "chen lily", "Chen, Lily", "Lily", "lchen42", someone.id, link!.sourceId]) {
      const html = await page(q(search));
      expect({ search, found: html.includes(`/learners/${someone.id}`) }).toEqual({ search, found: true });
    }
    expect(countOn(await page(q("Lily Chen")))).toBe(1);
  });

  test("a search that finds nobody says so, not 'connect your school's system'", async () => {
    const html = await page(q("Nobody Atall"));
    expect(html).toContain("No learners match “Nobody Atall” with these filters.");
    expect(html).not.toContain("No learners here yet");
  });

  test("an organization with no learners is told how to get them", async () => {
    const empty = await createOrgWithUser(app, { name: "Empty District" });
    const html = await (await get(app, "/learners", await signInAs(app, empty.email))).text();
    expect(html).toContain("No learners here yet");
  });
});

describe("filtering learners", () => {
  test("school, year group, class, access and linked each narrow the list", async () => {
    const all = countOn(await page("/learners"));
    expect(all).toBe(120);
    const [school] = await app.database.db.select().from(schools).where(eq(schools.orgId, org.orgId)).limit(1);
    const inSchool = (
      await app.database.db
        .select()
        .from(learners)
        .where(and(eq(learners.orgId, org.orgId), eq(learners.schoolId, school!.id)))
    ).length;
    expect(countOn(await page(`/learners?school=${school!.id}`))).toBe(inSchool);
    const [klass] = await app.database.db.select().from(classes).where(eq(classes.orgId, org.orgId)).limit(1);
    const inClass = (await app.database.db.select().from(enrolments).where(eq(enrolments.classId, klass!.id))).length;
    expect(countOn(await page(`/learners?class=${klass!.id}`))).toBe(inClass);
    const yearCount = countOn(await page(`/learners?year=${encodeURIComponent("Kindergarten")}`));
    expect(yearCount).toBeGreaterThan(0);
    expect(yearCount).toBeLessThan(all);
    await app.database.db.update(learners).set({ hasAccess: false }).where(eq(learners.id, someone.id));
    expect(countOn(await page("/learners?access=no"))).toBe(1);
    expect(countOn(await page("/learners?linked=no"))).toBe(0);
    expect(countOn(await page("/learners?linked=yes"))).toBe(120);
  });

  test("a link past the end goes to the last page, keeping the filters", async () => {
    const response = await get(app, `/learners?linked=yes&after=${PAST_EVERY_NAME}`, org.cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/learners?linked=yes&last=1");
    const none = await get(app, `/learners?q=Nobody&after=${PAST_EVERY_NAME}`, org.cookie);
    expect(none.headers.get("location")).toBe("/learners?q=Nobody");
  });

  test("linked learners carry an SVG chain-link with an accessible name, and no emoji is left in the views", async () => {
    const html = await page("/learners");
    expect(html).toContain('<svg class="icon" role="img" aria-label="Linked to your school&#39;s system"');
    const viewFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? viewFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
    for (const file of viewFiles(join(import.meta.dir, "../../views")))
      expect({ file, emoji: readFileSync(file, "utf8").includes("🔗") }).toEqual({ file, emoji: false });
  });
});

describe("finding classes", () => {
  test("by name, school and grade; an empty result says so; a page past the end goes back", async () => {
    const [klass] = await app.database.db.select().from(classes).where(eq(classes.orgId, org.orgId)).limit(1);
    const byName = await page(`/classes?q=${encodeURIComponent(klass!.name)}`);
    expect(byName).toContain(`/classes/${klass!.id}`);
    const inSchool = (await app.database.db.select().from(classes).where(eq(classes.schoolId, klass!.schoolId!))).length;
    expect(countOn(await page(`/classes?school=${klass!.schoolId}`))).toBe(inSchool);
    const grade = klass!.gradeCodes[0]!;
    const byGrade = await page(`/classes?grade=${encodeURIComponent(grade)}`);
    expect(byGrade).toContain(`/classes/${klass!.id}`);
    expect(await page("/classes?q=no-such-class")).toContain("No classes match these filters.");
    const pastEveryClass = encodeKey(["~", "ffffffff-ffff-ffff-ffff-ffffffffffff"]);
    expect((await get(app, `/classes?after=${pastEveryClass}`, org.cookie)).headers.get("location")).toBe("/classes?last=1");
  });
});
