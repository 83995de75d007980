/**
 * "Try the connection" answers what a sync would do (issue 16, point 12): the same read, scope
 * and safety rules as a sync, as a dry run that writes nothing. A file a sync would hold is never
 * called fine.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { syncRuns, syncSettings } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, formPost, signInAs, type TestApp } from "../helpers/app.ts";
import { ALL_GRADES, makeDistrict } from "../helpers/sync-harness.ts";
import { districtZip } from "../helpers/district-zip.ts";

let app: TestApp;
let org: { orgId: string; cookie: string };

beforeAll(async () => {
  app = await createTestApp();
  const created = await createOrgWithUser(app);
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await app.database.db.update(syncSettings).set({ scope: ALL_GRADES }).where(eq(syncSettings.orgId, org.orgId));
}, 60_000);
afterAll(() => app.close());

const use = async (path: string) =>
  saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "oneroster", kind: "file", path },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
const runCount = async () => (await app.database.db.select().from(syncRuns).where(eq(syncRuns.orgId, org.orgId))).length;

describe("trying the connection", () => {
  test("a good file: what it holds and what a sync would change, and nothing is written", async () => {
    await use(await districtZip(makeDistrict(60)));
    const response = await formPost(app, "/settings/connection/check", {}, { cookie: org.cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(
      "The source answered: 2 schools, 12 classes, 60 learners, 12 educators and 72 enrolments. Nothing was changed. A sync would apply the changes below.",
    );
    expect(html).toContain("What a sync would change");
    expect(html).not.toContain("wait for your approval");
    expect(await runCount()).toBe(0);
    expect((await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" })).status).toBe("succeeded");
  });

  test("a header-only file after a sync: a sync would be held, in the words the sync uses, and it is", async () => {
    await use(await districtZip());
    const response = await formPost(app, "/settings/connection/check", {}, { cookie: org.cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("A sync would wait for your approval, because:");
    expect(html).toContain(
      "users.csv has no rows, which usually means a broken export. A sync would take all 60 learners and 12 educators synced now off the synced roster.",
    );
    expect(html).toContain("enrollments.csv has no rows");
    expect(html).toContain('class="notice notice-error"');
    const runs = await runCount();

    const held = await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" });
    expect(held.status).toBe("held");
    expect(held.reasons!.join(" ")).toContain("users.csv has no rows, which usually means a broken export.");
    expect(await runCount()).toBe(runs + 1);
  });

  test("a file missing 30% of its learners: the threshold speaks before any sync does", async () => {
    const district = makeDistrict(60);
    district.learners = district.learners.slice(18);
    district.enrolments = district.enrolments.filter(
      (enrolment) => enrolment.role === "educator" || district.learners.some((learner) => learner.sourceId === enrolment.personSourceId),
    );
    await use(await districtZip(district));
    const html = await (await formPost(app, "/settings/connection/check", {}, { cookie: org.cookie })).text();
    expect(html).toContain("This sync would take 18 of the 60 learners synced now (30%) off the synced roster (18 kept but no longer synced)");
  });
});
