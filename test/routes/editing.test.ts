/**
 * Editing the roster by hand (issue 19, point 4): class rename under the override setting
 * (kept across syncs when on, refused with the reason when off, allowed to the class's own
 * teacher), a learner's journey (licensed products only) and access (granted, removed, kept
 * removed by syncs), and "Grant access" in bulk. Every edit is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, classEducators, classes, educators, learners, staffUsers, syncSettings } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, type TestApp } from "../helpers/app.ts";
import { ALL_GRADES, makeDistrict } from "../helpers/sync-harness.ts";
import { districtZip } from "../helpers/district-zip.ts";

let app: TestApp;
let org: { orgId: string; cookie: string };
let classId: string;
let learnerId: string;

const sync = async () => expect((await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" })).status).toBe("succeeded");
const classRow = async () => (await app.database.db.select().from(classes).where(eq(classes.id, classId)))[0]!;
const learnerRow = async () => (await app.database.db.select().from(learners).where(eq(learners.id, learnerId)))[0]!;
const actions = async () => (await app.database.db.select().from(auditLog).where(eq(auditLog.orgId, org.orgId))).map((entry) => entry.action);
const setOverride = (on: boolean) => app.database.db.update(syncSettings).set({ allowClassNameOverride: on }).where(eq(syncSettings.orgId, org.orgId));

beforeAll(async () => {
  app = await createTestApp();
  const created = await createOrgWithUser(app, { licences: ["reading", "maths"] });
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await app.database.db.update(syncSettings).set({ scope: ALL_GRADES }).where(eq(syncSettings.orgId, org.orgId));
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "oneroster", kind: "file", path: await districtZip(makeDistrict(30)) },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
  await sync();
  const [klass] = await app.database.db.select().from(classes).where(eq(classes.orgId, org.orgId)).limit(1);
  classId = klass!.id;
  const [learner] = await app.database.db
    .select()
    .from(learners)
    .where(and(eq(learners.orgId, org.orgId), eq(learners.hasAccess, true)))
    .limit(1);
  learnerId = learner!.id;
}, 60_000);
afterAll(() => app.close());

describe("class rename", () => {
  test("with overrides off, a rename is refused with the reason and nothing changes", async () => {
    await setOverride(false);
    const page = await (await get(app, `/classes/${classId}`, org.cookie)).text();
    expect(page).toContain("Allow edits to classroom names to override roster names");
    expect(page).not.toContain("Rename class");
    const response = await formPost(app, `/classes/${classId}/name`, { name: "Otters" }, { cookie: org.cookie });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("would be undone by the next sync");
    expect((await classRow()).nameOverride).toBeNull();
  });

  test("with overrides on, the new name is kept by the next sync and audited", async () => {
    await setOverride(true);
    const response = await formPost(app, `/classes/${classId}/name`, { name: "Otters" }, { cookie: org.cookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Renamed to “Otters”");
    await sync();
    const row = await classRow();
    expect(row.nameOverride).toBe("Otters");
    expect(await (await get(app, "/classes", org.cookie)).text()).toContain("Otters");
    expect(await actions()).toContain("class.renamed");
  });

  test("an educator renames a class they teach, and not one they do not", async () => {
    const teacher = await createOrgWithUser(app, { role: "educator" });
    await app.database.db.update(staffUsers).set({ orgId: org.orgId }).where(eq(staffUsers.id, teacher.userId));
    const cookie = await signInAs(app, teacher.email);
    expect((await formPost(app, `/classes/${classId}/name`, { name: "Beavers" }, { cookie })).status).toBe(403);
    const [teaching] = await app.database.db.select().from(classEducators).where(eq(classEducators.classId, classId)).limit(1);
    await app.database.db.update(educators).set({ email: teacher.email }).where(eq(educators.id, teaching!.educatorId));
    expect((await formPost(app, `/classes/${classId}/name`, { name: "Beavers" }, { cookie })).status).toBe(200);
    expect((await classRow()).nameOverride).toBe("Beavers");
  });

  test("an empty name goes back to the school's name", async () => {
    await formPost(app, `/classes/${classId}/name`, { name: "" }, { cookie: org.cookie });
    expect((await classRow()).nameOverride).toBeNull();
  });
});

describe("a learner's journey and access", () => {
  test("the journey changes to a licensed product, and an unlicensed one is refused", async () => {
    const changed = await formPost(app, `/learners/${learnerId}/journey`, { productId: "maths" }, { cookie: org.cookie });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain("Journey changed to Maths Journey");
    expect((await learnerRow()).journeyProductId).toBe("maths");
    const refused = await formPost(app, `/learners/${learnerId}/journey`, { productId: "insights" }, { cookie: org.cookie });
    expect(refused.status).toBe(422);
    expect((await learnerRow()).journeyProductId).toBe("maths");
    expect(await actions()).toContain("learner.journey_changed");
  });

  test("access removed stays removed through the next sync, until an admin grants it again", async () => {
    await formPost(app, `/learners/${learnerId}/access`, { access: "remove" }, { cookie: org.cookie });
    expect(await learnerRow()).toMatchObject({ hasAccess: false, accessRemoved: true });
    const page = await (await get(app, "/learners", org.cookie)).text();
    expect(page).toContain("1 synced learner belongs to a class and a year group but has no access");
    await sync();
    expect((await learnerRow()).hasAccess).toBe(false);
    const granted = await formPost(app, "/learners/access", {}, { cookie: org.cookie });
    expect(await granted.text()).toContain("1 learner was given access.");
    expect(await learnerRow()).toMatchObject({ hasAccess: true, accessRemoved: false });
    expect(await actions()).toEqual(expect.arrayContaining(["learner.access_removed", "learner.access_granted"]));
  });
});
