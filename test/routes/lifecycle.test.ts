/**
 * The admin's side of issue 17 point 12: the data page, the roster download (no-store, audited)
 * and erasing one learner after typing their name. Admins only; another organization's admin
 * gets 404 for a learner that is not theirs; an educator gets 403.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { hashPassword } from "../../src/auth/passwords.ts";
import { auditLog, learners, staffUsers, syncRuns } from "../../src/db/schema/index.ts";
import { readOneRosterZip } from "../../src/sources/oneroster/index.ts";
import { CollectingSink } from "../helpers/collect.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, TEST_PASSWORD, type TestApp } from "../helpers/app.ts";
import { createSyncHarness, type SyncHarness } from "../helpers/sync-harness.ts";

let app: TestApp;
let harness: SyncHarness;
let admin: { id: string; cookie: string };
let educatorCookie: string;
let otherAdminCookie: string;

async function staff(role: "org_admin" | "educator", email: string) {
  const [user] = await app.database.db
    .insert(staffUsers)
    .values({
      orgId: harness.orgId,
      email,
      name: role === "org_admin" ? "Office Admin" : "Class Teacher",
      role,
      passwordHash: await hashPassword(TEST_PASSWORD),
    })
    .returning({ id: staffUsers.id });
  return { id: user!.id, cookie: await signInAs(app, email) };
}

beforeAll(async () => {
  app = await createTestApp();
  // A roster synced the real way, in the app's own database.
  harness = await createSyncHarness({ learners: 12, database: app.database });
  expect((await harness.sync()).status).toBe("succeeded");
  admin = await staff("org_admin", "office@district.test");
  educatorCookie = (await staff("educator", "teacher@district.test")).cookie;
  const other = await createOrgWithUser(app, { name: "Other District" });
  otherAdminCookie = await signInAs(app, other.email);
}, 60_000);
afterAll(() => app.close());

async function learnerNamed(sourceId: string) {
  const learner = harness.district.learners.find((item) => item.sourceId === sourceId)!;
  const [row] = await app.database.db
    .select({ id: learners.id })
    .from(learners)
    .where(and(eq(learners.orgId, harness.orgId), eq(learners.givenName, learner.givenName), eq(learners.familyName, learner.familyName)));
  return { id: row!.id, name: `${learner.givenName} ${learner.familyName}` };
}

describe("your organization's data", () => {
  test("the page offers the download and says how long removed learners are kept", async () => {
    const response = await get(app, "/settings/data", admin.cookie);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Download the roster");
    expect(page).toContain("kept for 180 days");
    expect(page).toContain("No removed learners are waiting to be deleted.");
    expect(await (await get(app, "/settings", admin.cookie)).text()).toContain('href="/settings/data"');
  });

  test("educators get 403 and visitors are sent to sign in", async () => {
    for (const path of ["/settings/data", "/settings/data/roster.zip"]) {
      expect((await get(app, path, educatorCookie)).status).toBe(403);
      const anonymous = await get(app, path);
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get("Location")).toStartWith("/sign-in");
    }
  });

  test("the download is the organization's roster as a zip, not kept by caches, and audited", async () => {
    const response = await get(app, "/settings/data/roster.zip", admin.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="roster-\d{4}-\d{2}-\d{2}\.zip"$/);
    const path = join(mkdtempSync(join(tmpdir(), "rollcall-download-")), "roster.zip");
    await Bun.write(path, await response.arrayBuffer());
    const read = new CollectingSink();
    await readOneRosterZip(path, read);
    expect(read.learners.length).toBe(12);
    expect(read.problems).toEqual([]);
    const audit = await app.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, harness.orgId), eq(auditLog.action, "roster.exported")));
    expect(audit.map((entry) => [entry.actor, entry.actorUserId, (entry.detail as { learners: number }).learners])).toEqual([["user", admin.id, 12]]);
    // Another organization's admin downloads their own (empty) roster.
    const theirs = await get(app, "/settings/data/roster.zip", otherAdminCookie);
    const otherPath = join(mkdtempSync(join(tmpdir(), "rollcall-download-")), "roster.zip");
    await Bun.write(otherPath, await theirs.arrayBuffer());
    const otherRead = new CollectingSink();
    await readOneRosterZip(otherPath, otherRead);
    expect(otherRead.learners.length).toBe(0);
  });

  test("the download asks the server not to cut it off while a large roster is read", async () => {
    const lifted: number[] = [];
    const server = { timeout: (_request: Request, seconds: number) => lifted.push(seconds) };
    const response = await app.app.fetch(new Request("http://localhost/settings/data/roster.zip", { headers: { Cookie: admin.cookie } }), server);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(lifted).toEqual([0]);
  });
});

describe("erasing a learner", () => {
  test("the learner's page offers it to admins only", async () => {
    const learner = await learnerNamed("stu-1");
    expect(await (await get(app, `/learners/${learner.id}`, admin.cookie)).text()).toContain(`action="/learners/${learner.id}/erase"`);
    expect(await (await get(app, `/learners/${learner.id}`, educatorCookie)).text()).not.toContain("/erase");
  });

  test("the confirm page asks for the name and says to remove them in the school's system too", async () => {
    const learner = await learnerNamed("stu-1");
    const response = await get(app, `/learners/${learner.id}/erase`, admin.cookie);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`Erase ${learner.name}?`);
    expect(page).toContain("type the learner&#39;s name");
    expect(page).toContain("the next sync adds them to Rollcall again as a new learner");
    expect((await get(app, `/learners/${learner.id}/erase`, educatorCookie)).status).toBe(403);
    expect((await get(app, `/learners/${learner.id}/erase`, otherAdminCookie)).status).toBe(404);
    expect((await get(app, "/learners/not-an-id/erase", admin.cookie)).status).toBe(404);
  });

  test("a wrong name, another organization, an educator or a cross-site post erases nothing", async () => {
    const learner = await learnerNamed("stu-2");
    const wrong = await formPost(app, `/learners/${learner.id}/erase`, { confirmName: "Someone Else" }, { cookie: admin.cookie });
    expect(wrong.status).toBe(422);
    const page = await wrong.text();
    expect(page).toContain("That is not the learner&#39;s name.");
    expect(page).toContain('value="Someone Else"');
    expect((await formPost(app, `/learners/${learner.id}/erase`, { confirmName: "" }, { cookie: admin.cookie })).status).toBe(422);
    expect((await formPost(app, `/learners/${learner.id}/erase`, { confirmName: learner.name }, { cookie: otherAdminCookie })).status).toBe(404);
    expect((await formPost(app, `/learners/${learner.id}/erase`, { confirmName: learner.name }, { cookie: educatorCookie })).status).toBe(403);
    expect((await formPost(app, `/learners/${learner.id}/erase`, { confirmName: learner.name }, { cookie: admin.cookie, sameOrigin: false })).status).toBe(403);
    expect(await harness.count("learners", `id = '${learner.id}'`)).toBe(1);
  });

  test("the right name (any capitals and spacing) erases the learner, with one audit record naming no one", async () => {
    const learner = await learnerNamed("stu-3");
    const typed = `  ${learner.name.toUpperCase().replace(" ", "   ")} `;
    const response = await formPost(app, `/learners/${learner.id}/erase`, { confirmName: typed }, { cookie: admin.cookie });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Learner erased");
    expect(page).toContain("Also remove them from your school");
    expect(page).not.toContain(learner.name);
    expect(await harness.count("learners", `id = '${learner.id}'`)).toBe(0);
    expect(await harness.count("source_links", `entity_id = '${learner.id}'`)).toBe(0);
    const audit = await app.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, harness.orgId), eq(auditLog.action, "learner.erased")));
    expect(audit.map((entry) => [entry.actor, entry.actorUserId, entry.entityId])).toEqual([["user", admin.id, learner.id]]);
    expect(JSON.stringify(audit[0]!.detail)).not.toContain(learner.name.split(" ")[1]!);
    expect((await get(app, `/learners/${learner.id}`, admin.cookie)).status).toBe(404);
    // The sync that added them still lists the change, without who it was.
    const [run] = await app.database.db.select({ id: syncRuns.id }).from(syncRuns).where(eq(syncRuns.orgId, harness.orgId));
    const runPage = await (await get(app, `/sync/runs/${run!.id}`, admin.cookie)).text();
    expect(runPage).toContain("Details erased");
    expect(runPage).not.toContain(learner.name);
    expect((await formPost(app, `/learners/${learner.id}/erase`, { confirmName: learner.name }, { cookie: admin.cookie })).status).toBe(404);
  });
});
